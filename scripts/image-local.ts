/**
 * Builds the app image for one platform into the local Docker engine, never pushing:
 *
 *   ts-node scripts/image-local.ts [--arch amd64|arm64]
 *
 * The default is the host's own architecture. Because the Dockerfile runs every RUN on
 * the build platform, the foreign architecture builds without QEMU as well.
 */
import { spawnSync, SpawnSyncOptions, SpawnSyncReturns } from "child_process";
import * as os from "os";
import * as path from "path";

export const ARCHES = ["amd64", "arm64"] as const;
export type Arch = (typeof ARCHES)[number];

export const APP_DIR = path.resolve(__dirname, "..", "app");
export const IMAGE_REPOSITORY = "graviton-multiarch-app";

const USAGE = `usage: ts-node scripts/image-local.ts [--arch ${ARCHES.join("|")}]`;

/** A mistake the user can fix; printed as one line, without a stack trace. */
export class UsageError extends Error {}

export type ImageLocalOptions = { help: true } | { help: false; arch: Arch };

function isArch(value: string): value is Arch {
    return (ARCHES as readonly string[]).includes(value);
}

/** Maps Node's `os.arch()` names to Docker platform names. */
export function hostArch(nodeArch: string = os.arch()): Arch {
    switch (nodeArch) {
        case "x64":
            return "amd64";
        case "arm64":
            return "arm64";
        default:
            throw new UsageError(
                `cannot map host architecture "${nodeArch}" to a Docker platform; pass --arch ${ARCHES.join("|")}`,
            );
    }
}

export function parseArgs(argv: readonly string[], nodeArch: string = os.arch()): ImageLocalOptions {
    let arch: string | undefined;
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h" || arg === "--help") {
            help = true;
        } else if (arg === "--arch") {
            arch = argv[++i];
            if (arch === undefined) {
                throw new UsageError(`--arch needs a value: one of ${ARCHES.join(", ")}`);
            }
        } else if (arg.startsWith("--arch=")) {
            arch = arg.slice("--arch=".length);
        } else {
            throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
        }
    }
    if (help) {
        return { help };
    }
    if (arch === undefined) {
        return { help, arch: hostArch(nodeArch) };
    }
    if (!isArch(arch)) {
        throw new UsageError(`--arch must be one of ${ARCHES.join(", ")}, got "${arch}"`);
    }
    return { help, arch };
}

export function imageTag(arch: Arch): string {
    return `${IMAGE_REPOSITORY}:local-${arch}`;
}

/** Arguments for `docker`: a single-platform build loaded into the local engine. */
export function buildArgs(arch: Arch, context: string = APP_DIR): string[] {
    // --load, not --push: this script must never publish anything.
    return ["buildx", "build", "--platform", `linux/${arch}`, "--load", "-t", imageTag(arch), context];
}

export type SpawnSyncFn = (
    command: string,
    args: readonly string[],
    options: SpawnSyncOptions,
) => SpawnSyncReturns<Buffer>;

export interface Deps {
    spawn: SpawnSyncFn;
    env: NodeJS.ProcessEnv;
    nodeArch: string;
    log: (line: string) => void;
    error: (line: string) => void;
}

const defaultDeps: Deps = {
    spawn: spawnSync,
    env: process.env,
    nodeArch: os.arch(),
    log: (line) => console.log(line),
    error: (line) => console.error(line),
};

/** Returns a message saying what to install when docker or its buildx plugin is missing. */
export function checkBuildx(spawn: SpawnSyncFn, env: NodeJS.ProcessEnv): string | null {
    const probe = spawn("docker", ["buildx", "version"], { env, stdio: "pipe" });
    if (probe.error) {
        const code = (probe.error as NodeJS.ErrnoException).code;
        return code === "ENOENT"
            ? "the docker CLI was not found on PATH: install Docker (Docker Desktop, or Docker Engine with the docker-buildx-plugin package)"
            : `could not run docker: ${probe.error.message}`;
    }
    if (probe.status !== 0) {
        return "docker buildx is not available: install the Docker Buildx plugin (docker-buildx-plugin package, or Docker Desktop, which bundles it)";
    }
    return null;
}

/** The whole script; returns the process exit code. */
export function run(argv: readonly string[], overrides: Partial<Deps> = {}): number {
    const deps: Deps = { ...defaultDeps, ...overrides };
    let options: ImageLocalOptions;
    try {
        options = parseArgs(argv, deps.nodeArch);
    } catch (err) {
        if (err instanceof UsageError) {
            deps.error(`error: ${err.message}`);
            return 2;
        }
        throw err;
    }
    if (options.help) {
        deps.log(USAGE);
        return 0;
    }

    const missing = checkBuildx(deps.spawn, deps.env);
    if (missing) {
        deps.error(`error: ${missing}`);
        return 1;
    }

    const args = buildArgs(options.arch);
    deps.log(`$ docker ${args.join(" ")}`);
    const build = deps.spawn("docker", args, { env: deps.env, stdio: "inherit" });
    if (build.error || build.status !== 0) {
        const reason = build.error ? build.error.message : `exit code ${build.status ?? `signal ${build.signal}`}`;
        deps.error(
            `error: docker buildx build failed (${reason}); "Cannot connect to the Docker daemon" above means the engine is not running`,
        );
        return 1;
    }
    deps.log(`built ${imageTag(options.arch)}; try: docker run --rm -p 8080:8080 ${imageTag(options.arch)}`);
    return 0;
}

if (require.main === module) {
    process.exitCode = run(process.argv.slice(2));
}
