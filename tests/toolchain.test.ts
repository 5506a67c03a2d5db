// The Node release the project runs on is pinned by the project itself, so a host whose own Node is older still runs
// every npm script on a supported release; and no dependency's install script runs without a decision.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./harness";

interface PackageJson {
    devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as PackageJson;

describe("Node toolchain", () => {
    it("runs what npm starts on that pinned Node, not on the machine's own", () => {
        // npm puts node_modules/.bin first on the PATH of scripts and `npm exec`, so `node` there is the pinned one.
        const version = execFileSync("npm", ["exec", "--offline", "--", "node", "--version"], {
            cwd: projectRoot,
            encoding: "utf8",
        }).trim();
        assert.strictEqual(version, `v${manifest.devDependencies?.node}`);
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
