/**
 * A throwaway OCI registry on 127.0.0.1: Debian's `docker-registry` (the CNCF
 * distribution registry) with its own config, no auth and filesystem storage in a
 * temporary directory. It stands in for ECR, which speaks the same HTTP API.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

import { requireTool } from "./exec";

export interface LocalRegistry {
    /** `127.0.0.1:<port>`: the host part of an image reference. */
    host: string;
    /** `http://127.0.0.1:<port>`: base URL of the registry HTTP API. */
    url: string;
    /** Stops the registry; safe to call more than once. */
    stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

function registryConfig(storageDir: string, port: number): string {
    // YAML by hand: five keys do not justify a dependency. No auth section means no auth.
    return [
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${JSON.stringify(storageDir)}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: 127.0.0.1:${port}`,
        // A fixed secret silences the registry's warning; uploads never cross instances here.
        "  secret: local-test-registry",
        "",
    ].join("\n");
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(
                `docker-registry exited early (${child.exitCode ?? child.signalCode}):\n${fs.readFileSync(logFile, "utf8")}`,
            );
        }
        try {
            const response = await fetch(`${url}/v2/`);
            if (response.status === 200) {
                return;
            }
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
        `docker-registry did not answer ${url}/v2/ within ${timeoutMs} ms:\n${fs.readFileSync(logFile, "utf8")}`,
    );
}

/** Starts a registry storing under `workDir`; the caller must `stop()` it (an after hook). */
export async function startRegistry(workDir: string, timeoutMs = 15000): Promise<LocalRegistry> {
    const binary = requireTool("docker-registry");
    fs.mkdirSync(workDir, { recursive: true });
    const storageDir = path.join(workDir, "storage");
    const configFile = path.join(workDir, "config.yml");
    const logFile = path.join(workDir, "registry.log");
    const port = await freePort();
    fs.writeFileSync(configFile, registryConfig(storageDir, port));
    const log = fs.openSync(logFile, "a");
    const child = spawn(binary, ["serve", configFile], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const host = `127.0.0.1:${port}`;
    const url = `http://${host}`;
    // Even if this process dies without running its cleanup, the registry must not outlive it.
    const killOnExit = (): void => {
        child.kill("SIGKILL");
    };
    process.once("exit", killOnExit);
    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) {
            return;
        }
        stopped = true;
        process.removeListener("exit", killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
            await exited;
            clearTimeout(killTimer);
        }
    };
    try {
        await waitUntilAnswering(url, child, logFile, timeoutMs);
    } catch (err) {
        await stop();
        throw err;
    }
    return { host, url, stop };
}

// ---------------------------------------------------------------------------------
// Pushing by hand over the registry HTTP API (OCI distribution spec): enough to
// upload the stand-in base images without committing them through a builder.

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

export interface Descriptor {
    mediaType: string;
    digest: string;
    size: number;
    platform?: { os: string; architecture: string };
}

/** Uploads a blob unless the registry already has it (a monolithic upload: POST, then PUT). */
export async function pushBlob(
    registryUrl: string,
    repository: string,
    digest: string,
    content: Buffer,
): Promise<void> {
    const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${digest}`, { method: "HEAD" });
    if (head.status === 200) {
        return;
    }
    const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: "POST" });
    const location = start.headers.get("location");
    if (start.status !== 202 || !location) {
        throw new Error(`starting a blob upload to ${repository} answered ${start.status}`);
    }
    const uploadUrl = new URL(location, registryUrl);
    uploadUrl.searchParams.set("digest", digest);
    const put = await fetch(uploadUrl, {
        method: "PUT",
        headers: { "Content-Type": "application/octet-stream" },
        body: content,
    });
    if (put.status !== 201) {
        throw new Error(`uploading blob ${digest} to ${repository} answered ${put.status}: ${await put.text()}`);
    }
}

/** PUTs a manifest or index under `reference` and returns the digest the registry computed. */
export async function putManifest(
    registryUrl: string,
    repository: string,
    reference: string,
    mediaType: string,
    document: object,
): Promise<Descriptor> {
    const body = Buffer.from(JSON.stringify(document));
    const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
        method: "PUT",
        headers: { "Content-Type": mediaType },
        body,
    });
    const digest = response.headers.get("docker-content-digest");
    if (response.status !== 201 || !digest) {
        throw new Error(
            `PUT manifest ${repository}:${reference} answered ${response.status}: ${await response.text()}`,
        );
    }
    return { mediaType, digest, size: body.length };
}
