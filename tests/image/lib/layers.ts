/**
 * Image layers made locally: a directory packed as a gzip-compressed tar, with the two digests an image
 * needs (the blob's and the uncompressed tar's).
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

import { requireTool } from "./exec";

export interface LayerBlob {
    /** Digest of the gzip-compressed tar: the blob's name in the registry. */
    digest: string;
    /** Digest of the uncompressed tar: what the image config lists in rootfs.diff_ids. */
    diffId: string;
    size: number;
    read(): Buffer;
}

export function sha256(bytes: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;
}

/** A gzip-compressed tar of everything under `dir`, ownership kept numeric (uid 1000 stays 1000). */
export async function tarDirectory(dir: string): Promise<{ compressed: Buffer; diffId: string }> {
    const entries = fs.readdirSync(dir).sort();
    const { stdout } = await runBinary(requireTool("tar"), ["--numeric-owner", "-C", dir, "-cf", "-", ...entries]);
    return { compressed: zlib.gzipSync(stdout, { level: 1 }), diffId: sha256(stdout) };
}

/** Like run(), but keeps stdout as bytes: a tar stream is not text. */
function runBinary(command: string, args: readonly string[]): Promise<{ stdout: Buffer }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0
                ? resolve({ stdout: Buffer.concat(out) })
                : reject(new Error(`${command} ${args.slice(0, 4).join(" ")} ... exited with ${code}: ${err}`)),
        );
    });
}

/** A small layer made of the given files (path inside the image -> content and mode). */
export async function filesLayer(
    scratch: string,
    files: Record<string, { content: Buffer | string; mode: number }>,
): Promise<LayerBlob> {
    const dir = fs.mkdtempSync(path.join(scratch, "layer-"));
    for (const [file, { content, mode }] of Object.entries(files)) {
        const target = path.join(dir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content, { mode });
        fs.chmodSync(target, mode);
    }
    const { compressed, diffId } = await tarDirectory(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return { digest: sha256(compressed), diffId, size: compressed.length, read: () => compressed };
}
