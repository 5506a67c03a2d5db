/**
 * Builds the app image for one platform into the local Docker engine, never pushing:
 *
 *   npm run image:local -- [--arch amd64|arm64] [--help]
 *
 * The default is the host's own architecture. Because the Dockerfile runs every RUN on
 * the build platform, the foreign architecture builds without QEMU as well.
 */
import { spawnSync, SpawnSyncOptions, SpawnSyncReturns } from "child_process";
import * as os from "os";
import * as path from "path";

import { OCI_ARCHITECTURES, OciArchitecture } from "../../policy-pack/architecture";
import { archOfNode } from "./platforms";
import { defineCommand, EXIT_FAILED, EXIT_OK, runAsProcess, UsageError } from "../cli";

export { UsageError };

/** The app's build context: app/Dockerfile and its sources. */
export const APP_DIR = path.resolve(__dirname, "..", "..", "app");

export const IMAGE_REPOSITORY = "graviton-multiarch-app";

export const imageLocalCommand = defineCommand({
    name: "image:local",
    summary: [
        "Builds the app image for one platform into the local Docker engine (docker buildx build --load), never",
        "pushing. The Dockerfile runs every RUN on the build platform, so the foreign architecture builds",
        "without QEMU as well. Needs Docker with the buildx plugin.",
    ].join("\n"),
    flags: {
        arch: {
            type: "string",
            choices: OCI_ARCHITECTURES,
            description: "the platform to build; the host's own by default",
        },
    },
    failure: "docker or its buildx plugin is missing, or the build failed",
});

export type ImageLocalOptions = { help: true } | { help: false; arch: OciArchitecture };

/** Maps Node's `os.arch()` names to Docker platform names. */
export function hostArch(nodeArch: string = os.arch()): OciArchitecture {
    const arch = archOfNode(nodeArch);
    if (arch === undefined) {
        throw new UsageError(
            `cannot map host architecture "${nodeArch}" to a Docker platform; pass --arch ${OCI_ARCHITECTURES.join("|")}`,
        );
    }
    return arch;
}

export function parseArgs(argv: readonly string[], nodeArch: string = os.arch()): ImageLocalOptions {
    const values = imageLocalCommand.parse(argv);
    if (values.help) {
        return { help: true };
    }
    // The command's choices have checked --arch already.
    return { help: false, arch: values.arch === undefined ? hostArch(nodeArch) : (values.arch as OciArchitecture) };
}

export function imageTag(arch: OciArchitecture): string {
    return `${IMAGE_REPOSITORY}:local-${arch}`;
}

/** Arguments for `docker`: a single-platform build loaded into the local engine. */
export function buildArgs(arch: OciArchitecture, context: string = APP_DIR): string[] {
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
    const output = { write: lines(deps.log), writeError: lines(deps.error) };
    return imageLocalCommand.run(argv, output, () => {
        const options = parseArgs(argv, deps.nodeArch);
        if (options.help) {
            return EXIT_OK; // run() has printed the help already
        }
        const missing = checkBuildx(deps.spawn, deps.env);
        if (missing) {
            deps.error(`error: ${missing}`);
            return EXIT_FAILED;
        }

        const args = buildArgs(options.arch);
        deps.log(`$ docker ${args.join(" ")}`);
        const build = deps.spawn("docker", args, { env: deps.env, stdio: "inherit" });
        if (build.error || build.status !== 0) {
            const reason = build.error ? build.error.message : `exit code ${build.status ?? `signal ${build.signal}`}`;
            deps.error(
                `error: docker buildx build failed (${reason}); "Cannot connect to the Docker daemon" above means the engine is not running`,
            );
            return EXIT_FAILED;
        }
        deps.log(`built ${imageTag(options.arch)}; try: docker run --rm -p 8080:8080 ${imageTag(options.arch)}`);
        return EXIT_OK;
    });
}

/** A line writer (console.log's shape) as a text writer: the text's last newline is the line's end. */
function lines(writeLine: (line: string) => void): (text: string) => void {
    return (text) => writeLine(text.replace(/\n$/, ""));
}

if (require.main === module) {
    runAsProcess((argv) => run(argv));
}
