// What `pulumi policy publish` uploads: for a Node pack the CLI runs `npm pack` in the pack's folder
// (pulumi/pulumi pkg/backend/httpstate/policypack.go), which runs `prepack`, honours `files` and never
// includes package-lock.json. So the compiled entry point must be in `files`, and the dependency versions in
// package.json must be exactly the locked (tested) ones.
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../policies";
import { assertPackBuilt, PACK_DIR } from "../../harness/policyAnalyzer";

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

describe("the pack's build as the tests and npm run check run it", () => {
    // An incremental build (npm run build:policy) writes only the files that changed, so each source is held to its
    // own output, not to the entry point alone.
    it("refuses a source edited after its own compiled file, even when the entry point is newer", () => {
        const pack = fs.mkdtempSync(path.join(os.tmpdir(), "pack-build-"));
        try {
            fs.mkdirSync(path.join(pack, "bin"));
            fs.writeFileSync(path.join(pack, "package.json"), JSON.stringify({ main: "bin/index.js" }));
            const write = (file: string, seconds: number) => {
                fs.writeFileSync(path.join(pack, file), "");
                fs.utimesSync(path.join(pack, file), seconds, seconds);
            };
            write("index.ts", 1000);
            write("rule.ts", 1000);
            write("bin/index.js", 2000);
            write("bin/rule.js", 2000);
            assert.doesNotThrow(() => assertPackBuilt(pack));
            // rule.ts edited, and only the entry point written since.
            write("rule.ts", 3000);
            write("bin/index.js", 5000);
            assert.throws(() => assertPackBuilt(pack), /the pack's build is older than rule\.ts: rebuild it/);
            write("bin/rule.js", 4000);
            write("added.ts", 4500);
            assert.throws(() => assertPackBuilt(pack), /older than added\.ts/);
        } finally {
            fs.rmSync(pack, { recursive: true, force: true });
        }
    });
});
