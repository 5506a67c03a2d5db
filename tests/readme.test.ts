// The README is what a new user follows: its tables must say what the code does.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { bootstrapProject, parseBootstrapConfig } from "../bootstrap/config";
import { configDefaults, configKeys, projectName } from "../config";
import { projectRoot, stackRun } from "./harness";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");

/** The rows of the first table under a `## heading`, as arrays of trimmed cells. */
function tableUnder(heading: string): string[][] {
    const start = readme.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `README has a "## ${heading}" section`);
    const section = readme.slice(start + 1).split(/\n## /)[0];
    return section
        .split("\n")
        .filter((line) => line.startsWith("|"))
        .slice(2) // the header and its separator
        .map((line) =>
            line
                .slice(1, -1)
                .split("|")
                .map((cell) => cell.trim()),
        );
}

/** A default as the README writes it: the value in backticks, strings bare. */
function shown(value: unknown): string {
    return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

describe("README configuration table", () => {
    const rows = tableUnder("Configuration");
    const documented = new Map(rows.map(([key, , defaultCell]) => [key.replace(/`/g, ""), defaultCell]));

    it("lists every setting the schema accepts, and no other", () => {
        const expected = ["aws:region", ...configKeys()].sort();
        assert.deepStrictEqual([...documented.keys()].sort(), expected);
    });

    it("gives each setting the default the code applies", () => {
        const defaults = configDefaults();
        for (const key of configKeys()) {
            const cell = documented.get(key);
            if (key in defaults) {
                assert.strictEqual(cell, shown(defaults[key]), `default of ${key}`);
            } else {
                assert.match(cell ?? "", /^\(.+\)$/, `${key} has no default, so the README says what unset means`);
            }
        }
    });
});

describe("project name", () => {
    it("is the one Pulumi.yaml declares, so config keys and type tokens use the real namespace", () => {
        const declared = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8"));
        assert.strictEqual(projectName, declared?.[1]);
    });
});

describe("facts the comments cite", () => {
    const factsFile = path.join(projectRoot, "docs", "platform-facts.md");
    const sections = fs
        .readFileSync(factsFile, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("## "))
        .map((line) => line.slice(3).trim());
    const tracked = execFileSync("git", ["ls-files"], { cwd: projectRoot, encoding: "utf8" })
        .split("\n")
        .filter((file) => /\.(ts|js|sh|yml|yaml)$|Dockerfile$/.test(file) && file !== "tests/readme.test.ts")
        .filter((file) => fs.existsSync(path.join(projectRoot, file)));

    it("are all in the repository's own docs/platform-facts.md, under sections it has", () => {
        const problems: string[] = [];
        for (const file of tracked) {
            const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
            // A citation: the file's path, then optionally `, "Section"` or `: "Section"` (a section may wrap lines).
            for (const match of text.matchAll(/([\w./-]*platform-facts\.md)(?:[,:]\s*(?:\/\/|#|\*)?\s*"([^"]+))?/g)) {
                const [, cited, wrapped] = match;
                const section = wrapped?.replace(/\s*(\/\/|#|\*)?\s*\n\s*(\/\/|#|\*)?\s*/g, " ").trim();
                if (cited !== "docs/platform-facts.md") {
                    problems.push(`${file}: cites ${cited}`);
                } else if (section !== undefined && !sections.some((heading) => heading.startsWith(section))) {
                    problems.push(`${file}: cites section "${section}", which docs/platform-facts.md does not have`);
                }
            }
        }
        assert.deepStrictEqual(problems, []);
    });
});

describe("README walkthrough", () => {
    // Commands wrap across lines in the Markdown source; one line of text makes them searchable.
    const flat = readme.replace(/\s+/g, " ");
    const matches = (pattern: RegExp) => [...new Set([...flat.matchAll(pattern)].map((match) => match[1]))];

    it("sets only config keys the programs read", () => {
        const keys = matches(/pulumi config set (?:--path )?([\w:.-]+)/g);
        assert.ok(keys.length >= 5, `found ${keys.join(", ")}`);
        for (const key of keys) {
            if (key.startsWith(`${bootstrapProject}:`)) {
                const [top, inner] = key.slice(bootstrapProject.length + 1).split(".");
                const raw = {
                    "aws:region": "us-east-1",
                    [`${bootstrapProject}:repository`]: "octo/app",
                    [`${bootstrapProject}:${top}`]: inner === undefined ? "x" : JSON.stringify({ [inner]: "x" }),
                };
                const message = (() => {
                    try {
                        parseBootstrapConfig(raw, "ci");
                        return "";
                    } catch (error) {
                        return (error as Error).message;
                    }
                })();
                assert.doesNotMatch(message, /is not a known setting/, key);
            } else {
                assert.ok(key === "aws:region" || configKeys().includes(key), `${key} is not a setting of the program`);
            }
        }
    });

    it("names only stacks that have stack files", () => {
        const stacks = matches(/--stack (\w+)/g);
        assert.ok(stacks.includes("dev") && stacks.includes("prod"));
        for (const stack of stacks) {
            assert.ok(fs.existsSync(path.join(projectRoot, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`);
        }
        assert.ok(flat.includes("pulumi stack init dev") && flat.includes("pulumi stack init ci"));
        assert.ok(fs.existsSync(path.join(projectRoot, "bootstrap", "Pulumi.ci.yaml")));
    });

    it("reads only outputs the programs export", async () => {
        const program = Object.keys((await stackRun("dev")).outputs);
        const bootstrap = [
            ...fs
                .readFileSync(path.join(projectRoot, "bootstrap", "index.ts"), "utf8")
                .matchAll(/^export const (\w+)/gm),
        ].map((match) => match[1]);
        for (const output of matches(/pulumi stack output (\w+)/g)) {
            assert.ok(program.includes(output) || bootstrap.includes(output), `no stack output ${output}`);
        }
    });

    it("runs only npm scripts that exist", () => {
        const scriptsOf = (dir: string) =>
            Object.keys(
                (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageScripts).scripts,
            );
        const known = [...scriptsOf(projectRoot), ...scriptsOf(path.join(projectRoot, "policy-pack"))];
        for (const script of matches(/npm run (?:-s )?([\w:-]+)/g)) {
            assert.ok(known.includes(script), `npm run ${script}`);
        }
    });
});

interface PackageScripts {
    scripts: Record<string, string>;
}
