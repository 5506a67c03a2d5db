// The Node release the project runs on: pinned by the project itself, so a machine whose own
// Node is older (this one has 20) still runs the tests on a supported release.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { projectRoot } from "./harness";

interface PackageJson {
    engines?: { node?: string };
    devDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as PackageJson;

describe("Node toolchain", () => {
    it("requires Node 22 or newer, Node 20 being past its end of life", () => {
        assert.strictEqual(manifest.engines?.node, ">=22");
    });

    it("pins a supported Node release as the node package, to the exact version", () => {
        assert.match(manifest.devDependencies?.node ?? "", /^(22|24)\.\d+\.\d+$/);
    });

    it("runs what npm starts on that pinned Node, not on the machine's own", () => {
        // npm puts node_modules/.bin first on the PATH of scripts and `npm exec`, so `node` there is the pinned one.
        const version = execFileSync("npm", ["exec", "--offline", "--", "node", "--version"], {
            cwd: projectRoot,
            encoding: "utf8",
        }).trim();
        assert.strictEqual(version, `v${manifest.devDependencies?.node}`);
    });
});

describe("Formatting", () => {
    it("makes Prettier's check part of npm run lint", () => {
        assert.match(manifest.scripts?.lint ?? "", /(^|&& )npm run format:check($| &&)/);
        assert.strictEqual(manifest.scripts?.["format:check"], "prettier --check .");
        assert.strictEqual(manifest.scripts?.format, "prettier --write .");
    });

    it("runs npm run lint in CI and in the pull-request tests", () => {
        const ci = fs.readFileSync(path.join(projectRoot, ".ci", "run"), "utf8");
        assert.match(ci, /^npm run lint\b/m);
        const workflow = parseYaml(
            fs.readFileSync(path.join(projectRoot, ".github", "workflows", "pull-request.yml"), "utf8"),
        ) as { jobs: Record<string, { steps: { run?: string }[] }> };
        const runs = workflow.jobs.test.steps.map((step) => step.run ?? "");
        const lint = runs.indexOf("npm run lint");
        assert.ok(lint > runs.indexOf("npm ci") && runs.indexOf("npm ci") >= 0, "npm run lint after npm ci");
    });
});

describe("Install scripts", () => {
    // npm 12 runs a dependency's install scripts only if allowScripts names it, by name alone as these lockfiles have no resolved URLs (docs/platform-facts.md, "npm install scripts and script output").
    for (const dir of ["", "policy-pack"]) {
        it(`${path.join(dir, "package.json")} allows or denies every package of its lockfile that has them`, () => {
            const read = (file: string) => JSON.parse(fs.readFileSync(path.join(projectRoot, dir, file), "utf8"));
            const decided = Object.keys((read("package.json") as { allowScripts?: object }).allowScripts ?? {});
            const lock = read("package-lock.json") as {
                packages: Record<string, { name?: string; hasInstallScript?: boolean }>;
            };
            const undecided = Object.entries(lock.packages)
                .filter(([where, entry]) => where !== "" && entry.hasInstallScript)
                .map(
                    ([where, entry]) =>
                        entry.name ?? where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length),
                )
                .filter((name) => !decided.includes(name));
            assert.deepStrictEqual([...new Set(undecided)], []);
        });
    }
});
