/**
 * Running the host tools the image suite depends on (buildah, apt-get, dpkg-deb,
 * chroot, ...): one place that finds them, runs them and turns a failure into an
 * error that says which command failed and what it printed.
 */
import { spawn, SpawnOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const INSTALL_HINT = "run tests/image/install-tools.sh (as root)";

/** Full path of `tool` on PATH, or a thrown Error telling how to install it; never a silent skip. */
export function requireTool(tool: string, env: NodeJS.ProcessEnv = process.env): string {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (dir === "") {
            continue;
        }
        const candidate = path.join(dir, tool);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    throw new Error(`${tool} not found: ${INSTALL_HINT}`);
}

/** Everything the suite shells out to, checked in one go so a fresh machine hears about all of them. */
export const REQUIRED_TOOLS = [
    "buildah",
    "docker-registry",
    "qemu-aarch64-static",
    "apt-get",
    "dpkg-deb",
    "chroot",
    "tar",
    "mount",
] as const;

export function requireTools(tools: readonly string[] = REQUIRED_TOOLS): void {
    const missing = tools.filter((tool) => {
        try {
            requireTool(tool);
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length > 0) {
        throw new Error(`${missing.join(", ")} not found: ${INSTALL_HINT}`);
    }
    if (typeof process.getuid === "function" && process.getuid() !== 0) {
        // buildah with private storage, chroot and dpkg-deb ownership all need real root.
        throw new Error("the image suite must run as root (buildah storage, chroot)");
    }
}

export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Bytes written to the child's stdin. */
    input?: string | Buffer;
    /** Kill the child after this long; the error then says it timed out. */
    timeoutMs?: number;
}

export interface RunResult {
    stdout: string;
    stderr: string;
}

const TAIL_CHARS = 4000;

function tail(text: string): string {
    return text.length > TAIL_CHARS ? `...${text.slice(-TAIL_CHARS)}` : text;
}

/** Runs a command to completion; rejects with its exit status and the tail of its output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const spawnOptions: SpawnOptions = {
            cwd: options.cwd,
            env: options.env ?? process.env,
            stdio: ["pipe", "pipe", "pipe"],
        };
        const child = spawn(command, [...args], spawnOptions);
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let timedOut = false;
        const timer =
            options.timeoutMs === undefined
                ? undefined
                : setTimeout(() => {
                      timedOut = true;
                      child.kill("SIGKILL");
                  }, options.timeoutMs);
        child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", (err) => {
            if (timer) clearTimeout(timer);
            reject(new Error(`${command}: ${err.message}`));
        });
        child.on("close", (code, signal) => {
            if (timer) clearTimeout(timer);
            const result = {
                stdout: Buffer.concat(stdout).toString("utf8"),
                stderr: Buffer.concat(stderr).toString("utf8"),
            };
            if (code === 0) {
                resolve(result);
                return;
            }
            const how = timedOut
                ? `timed out after ${options.timeoutMs} ms`
                : signal
                  ? `was killed by ${signal}`
                  : `exited with ${code}`;
            reject(new Error(`\`${command} ${args.join(" ")}\` ${how}\n${tail(result.stderr || result.stdout)}`));
        });
        // A child that exits without reading its stdin (mount, tar on error) must not
        // turn into an unhandled EPIPE that kills this process.
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(options.input ?? "");
    });
}

const TMPFS_MAGIC = 0x01021994;
/** Peak use of one suite or benchmark run is about 3 GiB; ask for twice that. */
const SCRATCH_NEEDS_BYTES = 6 * 1024 ** 3;

/**
 * Where a run keeps its registry, buildah storage and unpacked images: IMAGE_TEST_WORKDIR
 * when set, else /dev/shm when it is a tmpfs with room, else os.tmpdir(). vfs storage
 * copies the whole base image for every stage; on a tmpfs those copies cost memory
 * bandwidth instead of disk writeback, which makes a run several times faster here.
 */
export function scratchRoot(): string {
    if (process.env.IMAGE_TEST_WORKDIR) {
        return process.env.IMAGE_TEST_WORKDIR;
    }
    try {
        const stats = fs.statfsSync("/dev/shm");
        if (stats.type === TMPFS_MAGIC && stats.bavail * stats.bsize >= SCRATCH_NEEDS_BYTES) {
            return "/dev/shm";
        }
    } catch {
        // no /dev/shm
    }
    return os.tmpdir();
}
