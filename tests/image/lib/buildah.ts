/**
 * buildah, run daemonless with private storage: every Buildah instance keeps its images
 * under its own `--root`/`--runroot` with the vfs driver (plain directories, no overlay
 * mounts to leak) and never touches the system's container storage.
 */
import * as fs from "fs";
import * as path from "path";

import { requireTool, run, RunResult } from "./exec";
import { OciArchitecture } from "../../../policy-pack/architecture";
import { hostPlatform } from "../../../commands/imageLocal/platforms";
import { DIGEST } from "../../../policy-pack/architecture";

export interface BuildOptions {
    contextDir: string;
    dockerfile: string;
    arch: OciArchitecture;
    buildArgs: Readonly<Record<string, string>>;
    tag: string;
}

export class Buildah {
    private readonly binary: string;
    private readonly env: NodeJS.ProcessEnv;

    /** `dir` holds this instance's storage; it is created if missing and removed by `destroy()`. */
    constructor(readonly dir: string) {
        this.binary = requireTool("buildah");
        fs.mkdirSync(dir, { recursive: true });
        this.env = {
            ...process.env,
            STORAGE_DRIVER: "vfs",
            BUILDAH_ISOLATION: "chroot",
            // buildah writes big temporary files (layer diffs) here; keep them with the storage.
            TMPDIR: this.tmpDir(),
        };
        fs.mkdirSync(this.tmpDir(), { recursive: true });
    }

    private tmpDir(): string {
        return path.join(this.dir, "tmp");
    }

    private globalArgs(): string[] {
        return [
            "--root",
            path.join(this.dir, "root"),
            "--runroot",
            path.join(this.dir, "runroot"),
            "--storage-driver",
            "vfs",
        ];
    }

    async run(args: readonly string[], timeoutMs = 20 * 60 * 1000): Promise<RunResult> {
        return run(this.binary, [...this.globalArgs(), ...args], { env: this.env, timeoutMs });
    }

    async version(): Promise<string> {
        return (await this.run(["--version"])).stdout.trim();
    }

    /** Pushes a local image over plain HTTP and returns the pushed manifest's digest. */
    async push(image: string, destination: string): Promise<string> {
        const digestFile = path.join(this.tmpDir(), `push-${process.pid}-${Date.now()}.digest`);
        await this.run([
            "push",
            "--quiet",
            "--tls-verify=false",
            "--digestfile",
            digestFile,
            image,
            `docker://${destination}`,
        ]);
        return readDigestFile(digestFile);
    }

    /** Pushes an image index listing `children` (already in the registry) and returns its digest. */
    async pushIndex(listName: string, children: readonly string[], destination: string): Promise<string> {
        await this.run(["manifest", "create", listName]);
        for (const child of children) {
            await this.run(["manifest", "add", "--tls-verify=false", listName, `docker://${child}`]);
        }
        const digestFile = path.join(this.tmpDir(), `index-${process.pid}-${Date.now()}.digest`);
        await this.run([
            "manifest",
            "push",
            "--all",
            "--quiet",
            "--tls-verify=false",
            "--digestfile",
            digestFile,
            listName,
            `docker://${destination}`,
        ]);
        return readDigestFile(digestFile);
    }

    /**
     * `buildah build` for one target platform. BUILDPLATFORM is passed explicitly because
     * buildah 1.28 (Debian bookworm) does not define it; BuildKit does, with this value.
     */
    async build(options: BuildOptions): Promise<RunResult> {
        const buildPlatform = hostPlatform();
        const args = [
            "build",
            "--isolation",
            "chroot",
            "--platform",
            `linux/${options.arch}`,
            "--tls-verify=false",
            "--build-arg",
            `BUILDPLATFORM=${buildPlatform}`,
            "--build-arg",
            `BUILDOS=linux`,
            "--build-arg",
            `BUILDARCH=${buildPlatform.split("/")[1]}`,
        ];
        for (const [key, value] of Object.entries(options.buildArgs)) {
            args.push("--build-arg", `${key}=${value}`);
        }
        args.push("--file", options.dockerfile, "--tag", options.tag, options.contextDir);
        return this.run(args);
    }

    /** Removes every container and image, then the storage directory itself. */
    async destroy(): Promise<void> {
        if (!fs.existsSync(this.dir)) {
            return;
        }
        // vfs has no mounts, so deleting the directory is enough; rm -a first in case a
        // buildah process left bookkeeping that a later instance on the same dir would read.
        await this.run(["rm", "--all"]).catch(() => undefined);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

function readDigestFile(file: string): string {
    const digest = fs.readFileSync(file, "utf8").trim();
    fs.rmSync(file, { force: true });
    if (!DIGEST.test(digest)) {
        throw new Error(`buildah wrote an unexpected digest "${digest}" to ${file}`);
    }
    return digest;
}

const FROM_LINE = /^(\s*FROM\s+)(.*)$/i;

/**
 * The Dockerfile as Debian bookworm's buildah 1.28 must see it to honour BuildKit's
 * semantics: a FROM without --platform gets an explicit `--platform=$TARGETPLATFORM`.
 * BuildKit already treats a flagless FROM exactly so; buildah 1.28 instead lets an
 * earlier stage's `--platform=$BUILDPLATFORM` leak into every later stage, which would
 * silently give an "arm64" image amd64 contents (found by this suite; fixed in later
 * buildah, which re-reads the platform per stage). Lines naming an earlier stage are
 * left alone: a stage inherits its parent's platform. Nothing else changes.
 */
export function withExplicitTargetPlatform(dockerfileText: string): string {
    const stageNames = new Set<string>();
    return dockerfileText
        .split("\n")
        .map((line) => {
            const match = FROM_LINE.exec(line);
            if (!match) {
                return line;
            }
            const rest = match[2];
            const words = rest.trim().split(/\s+/);
            const asIndex = words.findIndex((word) => word.toUpperCase() === "AS");
            const image = words.find((word) => !word.startsWith("--")) ?? "";
            const fromStage = stageNames.has(image.toLowerCase());
            if (asIndex >= 0 && words[asIndex + 1]) {
                stageNames.add(words[asIndex + 1].toLowerCase());
            }
            if (fromStage || words.some((word) => word.startsWith("--platform="))) {
                return line;
            }
            return `${match[1]}--platform=$TARGETPLATFORM ${rest}`;
        })
        .join("\n");
}

/**
 * The naive variant for the benchmark: every `--platform=$BUILDPLATFORM` dropped, so the
 * RUN steps execute in target-platform stages (under QEMU when building arm64 on x86).
 */
export function withoutBuildPlatform(dockerfileText: string): string {
    return dockerfileText
        .split("\n")
        .map((line) =>
            FROM_LINE.test(line) ? line.replace(/\s--platform=(\$BUILDPLATFORM|\$\{BUILDPLATFORM\})/, "") : line,
        )
        .join("\n");
}
