// The README and the docs pages are what a new user follows: their tables, commands and links must say what the
// code does.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { bootstrapProject, parseBootstrapConfig } from "../bootstrap/config";
import { estimate, inventoryOf, StackEstimate } from "../commands/cost/costModel";
import { configDefaults, configKeys, projectName } from "../config";
import { pricesFor } from "../prices/prices";
import { projectRoot, stackRun } from "./harness";

const read = (file: string) => fs.readFileSync(path.join(projectRoot, file), "utf8");

/** Every page a reader is sent to: the README, the docs and the bootstrap's and the pack's own READMEs. */
const pages = [
    "README.md",
    "bootstrap/README.md",
    "policy-pack/README.md",
    ...fs
        .readdirSync(path.join(projectRoot, "docs"))
        .filter((file) => file.endsWith(".md"))
        .map((file) => `docs/${file}`),
];

/** The pages with commands to follow; platform-facts.md quotes other projects' commands, not this one's. */
const walkthroughPages = pages.filter((page) => page !== "docs/platform-facts.md");

/** The rows of the first table under a `## heading` of `text`, as arrays of trimmed cells. */
function tableUnder(text: string, heading: string): string[][] {
    const start = text.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `a "## ${heading}" section`);
    const section = text.slice(start + 1).split(/\n## /)[0];
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

/** A default as the reference writes it: the value in backticks, strings bare. */
function shown(value: unknown): string {
    return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

describe("the configuration reference (docs/configuration.md)", () => {
    const rows = tableUnder(read("docs/configuration.md"), "Settings");
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
                assert.match(cell ?? "", /^\(.+\)$/, `${key} has no default, so the table says what unset means`);
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

describe("the walkthroughs in the README and the docs", () => {
    // Commands wrap across lines in the Markdown source; one line of text makes them searchable.
    const flat = walkthroughPages.map(read).join("\n").replace(/\s+/g, " ");
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

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
        const slug = heading
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-");
        const count = seen.get(slug) ?? 0;
        seen.set(slug, count + 1);
        anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    return anchors;
}

/** Markdown without its fenced code blocks, whose brackets and hashes are not links or headings. */
function withoutCode(markdown: string): string {
    return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

describe("what the README says a stack costs", () => {
    const readme = read("README.md");
    const flat = readme.replace(/\s+/g, " ");
    const usd = (value: number) => `$${value.toFixed(2)}`;
    const priced: Record<string, StackEstimate> = {};
    before(async () => {
        for (const stack of ["dev", "prod"]) {
            const run = await stackRun(stack);
            priced[stack] = estimate(inventoryOf(run), pricesFor(run.region));
        }
    });

    it("gives each stack's month, day and saving as npm run cost prints them", () => {
        for (const [stack, result] of Object.entries(priced)) {
            const row = readme.split("\n").find((text) => text.startsWith(`| \`${stack}\``));
            const cells = row?.split("|").map((cell) => cell.trim());
            assert.deepStrictEqual(cells?.slice(2, 5), [
                usd(result.total),
                usd(result.perDay),
                `${usd(result.saving)} (${(result.savingShare * 100).toFixed(1)}%)`,
            ]);
        }
        assert.ok(flat.includes(`dev costs ${usd(priced.dev.total)} a month, about ${usd(priced.dev.perDay)} a day`));
    });

    it("gives the saving on the compute that moved as npm run cost prints it", () => {
        const savings = (stack: string) => priced[stack].gravitonCompute.map((compute) => usd(compute.saving));
        const [devFargate, devLambda] = savings("dev");
        const [prodFargate, prodLambda] = savings("prod");
        assert.ok(
            flat.includes(
                `dev saves ${devFargate} on its ARM task (Spot against x86 Spot) and ${devLambda} on the Lambda function, prod ${prodFargate} and ${prodLambda};`,
            ),
        );
        for (const compute of [...priced.dev.gravitonCompute, ...priced.prod.gravitonCompute]) {
            assert.strictEqual(Math.round(compute.savingShare * 100), 20, compute.runtime);
        }
    });
});

describe("links in the README and the docs", () => {
    for (const page of pages) {
        it(`${page}: every relative link reaches a file, and a heading where it names one`, () => {
            const broken: string[] = [];
            for (const [, target] of withoutCode(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/i.test(target)) {
                    continue; // https:, mailto:: not a file of this repository
                }
                const [file, anchor] = target.split("#");
                const resolved = file === "" ? page : path.posix.join(path.posix.dirname(page), file);
                if (!fs.existsSync(path.join(projectRoot, resolved))) {
                    broken.push(`${target}: no file ${resolved}`);
                } else if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) {
                    broken.push(`${target}: ${resolved} has no heading #${anchor}`);
                }
            }
            assert.deepStrictEqual(broken, []);
        });
    }
});
