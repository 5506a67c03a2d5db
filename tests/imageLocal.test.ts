import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import {
    APP_DIR,
    buildArgs,
    hostArch,
    parseArgs,
    run,
    SpawnSyncFn,
    UsageError,
} from "../commands/imageLocal/imageLocal";

interface Call {
    command: string;
    args: readonly string[];
}

/** A stand-in for spawnSync that records calls and answers each with the next scripted status. */
function fakeSpawn(statuses: number[]): { spawn: SpawnSyncFn; calls: Call[] } {
    const calls: Call[] = [];
    const spawn: SpawnSyncFn = (command: string, args: readonly string[]): SpawnSyncReturns<Buffer> => {
        calls.push({ command, args });
        const status = statuses.shift();
        if (status === undefined) {
            throw new Error(`unexpected call: ${command} ${args.join(" ")}`);
        }
        return { pid: 1, output: [], stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), status, signal: null };
    };
    return { spawn, calls };
}

function captureOutput(): { log: (line: string) => void; error: (line: string) => void; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { log: (line) => out.push(line), error: (line) => err.push(line), out, err };
}

describe("image:local argument parsing", () => {
    it("defaults to the host architecture in Docker's naming", () => {
        assert.deepStrictEqual(parseArgs([], "x64"), { help: false, arch: "amd64" });
        assert.deepStrictEqual(parseArgs([], "arm64"), { help: false, arch: "arm64" });
        assert.strictEqual(hostArch("x64"), "amd64");
    });

    it("takes --arch as two words or with =", () => {
        assert.deepStrictEqual(parseArgs(["--arch", "arm64"], "x64"), { help: false, arch: "arm64" });
        assert.deepStrictEqual(parseArgs(["--arch=amd64"], "arm64"), { help: false, arch: "amd64" });
    });

    it("rejects an unknown architecture, naming --arch and the allowed values", () => {
        assert.throws(
            () => parseArgs(["--arch", "x86_64"], "x64"),
            (err: Error) => {
                assert.ok(err instanceof UsageError);
                assert.strictEqual(err.message, '--arch must be one of amd64, arm64, got "x86_64"');
                return true;
            },
        );
    });

    it("rejects --arch without a value", () => {
        assert.throws(() => parseArgs(["--arch"], "x64"), /--arch needs a value: one of amd64, arm64/);
    });

    it("rejects unknown arguments with the usage line", () => {
        assert.throws(() => parseArgs(["--push"], "x64"), /unknown argument "--push"\nusage: .*--arch amd64\|arm64/);
    });

    it("asks for --arch on a host architecture Docker images are not built for here", () => {
        assert.throws(() => parseArgs([], "ia32"), /"ia32".*pass --arch amd64\|arm64/);
    });

    it("recognises --help", () => {
        assert.deepStrictEqual(parseArgs(["--help"], "ia32"), { help: true });
    });
});

describe("image:local build command", () => {
    it("builds one platform, loads it locally and never pushes", () => {
        assert.deepStrictEqual(buildArgs("arm64"), [
            "buildx",
            "build",
            "--platform",
            "linux/arm64",
            "--load",
            "-t",
            "graviton-multiarch-app:local-arm64",
            APP_DIR,
        ]);
        assert.ok(fs.existsSync(path.join(APP_DIR, "Dockerfile")));
    });

    it("checks buildx first, then runs the build and exits 0", () => {
        const { spawn, calls } = fakeSpawn([0, 0]);
        const output = captureOutput();
        assert.strictEqual(run(["--arch", "amd64"], { spawn, nodeArch: "arm64", ...output }), 0);
        assert.deepStrictEqual(calls, [
            { command: "docker", args: ["buildx", "version"] },
            { command: "docker", args: buildArgs("amd64") },
        ]);
        assert.ok(!calls.some((call) => call.args.includes("--push")));
        assert.deepStrictEqual(output.err, []);
    });

    it("reports a failed build with a non-zero exit code", () => {
        const { spawn } = fakeSpawn([0, 1]);
        const output = captureOutput();
        assert.strictEqual(run([], { spawn, nodeArch: "x64", ...output }), 1);
        assert.match(output.err.join("\n"), /docker buildx build failed \(exit code 1\)/);
    });
});

describe("image:local error paths", () => {
    let emptyDir: string;

    before(() => {
        emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-local-no-docker-"));
    });

    after(() => {
        fs.rmSync(emptyDir, { recursive: true, force: true });
    });

    it("says to install Docker when docker is not on PATH", () => {
        const output = captureOutput();
        // The real spawnSync with a PATH holding nothing: no docker, whatever the host has.
        const code = run(["--arch", "arm64"], { spawn: spawnSync, env: { PATH: emptyDir }, ...output });
        assert.strictEqual(code, 1);
        assert.strictEqual(output.err.length, 1);
        assert.match(output.err[0], /^error: the docker CLI was not found on PATH: install Docker/);
    });

    it("says to install the buildx plugin when `docker buildx version` fails", () => {
        const { spawn, calls } = fakeSpawn([1]);
        const output = captureOutput();
        assert.strictEqual(run([], { spawn, nodeArch: "x64", ...output }), 1);
        assert.strictEqual(calls.length, 1, "must not attempt the build");
        assert.match(output.err[0], /docker buildx is not available: install the Docker Buildx plugin/);
    });

    it("exits 2 on a bad --arch before touching docker", () => {
        const { spawn, calls } = fakeSpawn([]);
        const output = captureOutput();
        assert.strictEqual(run(["--arch", "riscv64"], { spawn, ...output }), 2);
        assert.deepStrictEqual(calls, []);
        assert.match(output.err[0], /^error: --arch must be one of amd64, arm64/);
    });
});
