/**
 * Runs an image's app from the registry, without a container engine: unpack the image's
 * layers as the registry serves them, and start the command its config names under
 * chroot as the user its config names. An arm64 image runs through
 * qemu-aarch64-static copied into that root filesystem, so no binfmt_misc registration
 * (a machine-wide setting) is needed.
 */
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

import { OciArchitecture } from "../../../policy-pack/architecture";
import { requireTool, run } from "./exec";
import { freePort } from "./registry";

/** The subset of an OCI image config the runner obeys. */
export interface ImageRunConfig {
    Env?: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    WorkingDir?: string;
    User?: string;
}

export interface RunningApp {
    port: number;
    /** What the process printed so far (stdout and stderr). */
    output(): string;
    stop(): Promise<void>;
}

/** Where the emulator goes inside an arm64 root filesystem; chroot hides the host's copy. */
const QEMU_IN_ROOTFS = "/.qemu-aarch64-static";

/** Resolves `program` like execvp would, against PATH from the image's Env, inside `rootfs`. */
export function resolveInRootfs(rootfs: string, program: string, env: readonly string[]): string {
    if (program.includes("/")) {
        return program;
    }
    const pathValue =
        env.find((entry) => entry.startsWith("PATH="))?.slice("PATH=".length) ?? "/usr/local/bin:/usr/bin:/bin";
    for (const dir of pathValue.split(":")) {
        const candidate = path.posix.join(dir, program);
        if (fs.existsSync(path.join(rootfs, candidate))) {
            return candidate;
        }
    }
    throw new Error(`${program} not found on PATH ${pathValue} inside the image`);
}

/**
 * The argv to start inside the chroot. chroot(1) always starts in `/`, so relative
 * script arguments are resolved against the image's WorkingDir, which is where the
 * image's own command would have found them.
 */
export function commandLine(rootfs: string, config: ImageRunConfig): string[] {
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (argv.length === 0) {
        throw new Error("the image config has neither Entrypoint nor Cmd");
    }
    const workingDir = config.WorkingDir || "/";
    const program = resolveInRootfs(rootfs, argv[0], config.Env ?? []);
    const args = argv.slice(1).map((arg) => {
        if (arg.startsWith("-") || arg.startsWith("/")) {
            return arg;
        }
        const absolute = path.posix.join(workingDir, arg);
        return fs.existsSync(path.join(rootfs, absolute)) ? absolute : arg;
    });
    return [program, ...args];
}

/** Starts the image's command from `rootfs` with PORT set to a free port. */
export async function startApp(rootfs: string, arch: OciArchitecture, config: ImageRunConfig): Promise<RunningApp> {
    const chroot = requireTool("chroot");
    const argv = commandLine(rootfs, config);
    if (arch === "arm64" && process.arch !== "arm64") {
        fs.copyFileSync(requireTool("qemu-aarch64-static"), path.join(rootfs, QEMU_IN_ROOTFS));
        fs.chmodSync(path.join(rootfs, QEMU_IN_ROOTFS), 0o755);
        argv.unshift(QEMU_IN_ROOTFS);
    } else if (arch === "amd64" && process.arch !== "x64") {
        throw new Error(`running an amd64 image on ${process.arch} is not set up`);
    }
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const entry of config.Env ?? []) {
        const eq = entry.indexOf("=");
        env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    env.PORT = String(port);
    const chrootArgs = config.User ? [`--userspec=${config.User}`, rootfs, ...argv] : [rootfs, ...argv];
    const child = spawn(chroot, chrootArgs, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const app: RunningApp = { port, output: () => output, stop: () => stopProcess(child) };
    try {
        await waitForHealthz(port, child, () => output, 60000);
    } catch (err) {
        await app.stop();
        throw err;
    }
    return app;
}

async function waitForHealthz(
    port: number,
    child: ChildProcess,
    output: () => string,
    timeoutMs: number,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`the app exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
        }
        try {
            const response = await fetch(`http://127.0.0.1:${port}/healthz`);
            if (response.status === 200) {
                return;
            }
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the app did not answer /healthz on port ${port} within ${timeoutMs} ms:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const killTimer = setTimeout(() => child.kill("SIGKILL"), 10000);
        child.once("exit", () => {
            clearTimeout(killTimer);
            resolve();
        });
        // The app closes gracefully on SIGTERM (app/src/main.ts).
        child.kill("SIGTERM");
    });
}

const GZIP_LAYER = /\.tar\+gzip$|\.tar\.gzip$|rootfs\.diff\.tar\.gzip$/;
const PLAIN_LAYER = /\.tar$|rootfs\.diff\.tar$/;

interface LayerDescriptor {
    mediaType: string;
    digest: string;
}

/**
 * Unpacks the image `digest` of `repository`, layer by layer, exactly as the registry
 * serves it, into `destination`. Each blob is checked against its digest first. A layer
 * that deletes files (a whiteout) is an error, since this runner does not apply
 * deletions; the runtime stage only copies, so the app's images never contain one.
 */
export async function unpackFromRegistry(
    registryUrl: string,
    repository: string,
    digest: string,
    destination: string,
): Promise<void> {
    const tar = requireTool("tar");
    const manifestResponse = await fetch(`${registryUrl}/v2/${repository}/manifests/${digest}`, {
        headers: {
            Accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
        },
    });
    if (manifestResponse.status !== 200) {
        throw new Error(`GET manifest ${digest} answered ${manifestResponse.status}`);
    }
    const manifest = (await manifestResponse.json()) as { layers?: LayerDescriptor[] };
    fs.mkdirSync(destination, { recursive: true });
    for (const layer of manifest.layers ?? []) {
        const blob = Buffer.from(
            await (await fetch(`${registryUrl}/v2/${repository}/blobs/${layer.digest}`)).arrayBuffer(),
        );
        const actual = `sha256:${crypto.createHash("sha256").update(blob).digest("hex")}`;
        if (actual !== layer.digest) {
            throw new Error(`layer ${layer.digest} hashes to ${actual}`);
        }
        const compression = GZIP_LAYER.test(layer.mediaType)
            ? ["-z"]
            : PLAIN_LAYER.test(layer.mediaType)
              ? []
              : undefined;
        if (compression === undefined) {
            throw new Error(
                `layer ${layer.digest} has media type ${layer.mediaType}, which this runner does not unpack`,
            );
        }
        const listing = await run(
            tar,
            ["-x", "-v", ...compression, "--numeric-owner", "-p", "-C", destination, "-f", "-"],
            { input: blob },
        );
        const whiteout = listing.stdout.split("\n").find((entry) => path.posix.basename(entry).startsWith(".wh."));
        if (whiteout) {
            throw new Error(
                `layer ${layer.digest} deletes files (${whiteout}); whiteouts are not supported by this runner`,
            );
        }
    }
}
