// What `pulumi policy publish` uploads: for a Node pack the CLI runs `npm pack` in the pack's folder
// (pulumi/pulumi pkg/backend/httpstate/policypack.go), which runs `prepack`, honours `files` and never
// includes package-lock.json. So the compiled entry point must be in `files`, and the dependency versions in
// package.json must be exactly the locked (tested) ones.
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { PACK_DIR } from "../../harness/policyAnalyzer";

interface Manifest {
    main: string;
    version: string;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as Manifest;
const lock = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
};

describe("the published graviton-guard package", function () {
    this.timeout(30000);

    it("pins every dependency to the exact version in the lockfile", () => {
        for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
            assert.equal(range, lock.packages[`node_modules/${name}`]?.version, name);
        }
    });

    it("builds on prepack and ships the compiled entry point and PulumiPolicy.yaml, without a lockfile", () => {
        assert.equal(manifest.scripts.prepack, "npm run build");
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const output = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], {
            cwd: PACK_DIR,
            encoding: "utf8",
        });
        const [packed] = JSON.parse(output) as { files: { path: string }[] }[];
        const files = packed.files.map((file) => file.path);
        for (const required of [manifest.main, "PulumiPolicy.yaml", "package.json", "README.md", "CHANGELOG.md"]) {
            assert.ok(files.includes(required), `${required} missing from ${files.join(", ")}`);
        }
        assert.ok(!files.includes("package-lock.json"));
        assert.ok(!files.some((file) => file.startsWith("node_modules/")));
        assert.ok(!files.some((file) => file.startsWith("tests/")), "the pack's tests are not published");
    });
});

describe("the pack's README", () => {
    it("lists exactly the pack's policies, each at its enforcement level", () => {
        const readme = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("\n## Policies\n")).split(/\n## /)[1];
        const rows = section
            .split("\n")
            .filter((line) => line.startsWith("| `"))
            .map((line) => line.split("|").map((cell) => cell.trim()))
            .map(([, name, level]) => `${name.replace(/`/g, "")} ${level}`);
        assert.deepStrictEqual(
            rows.sort(),
            policies.map((policy) => `${policy.name} ${policy.enforcementLevel}`).sort(),
        );
    });
});
