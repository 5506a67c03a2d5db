/**
 * How much the Dockerfile's cross-build design saves (npm run bench:image; a benchmark,
 * not a test). Times three builds of app/Dockerfile with buildah on this x86_64 machine:
 *
 *   amd64           the Dockerfile as written, native
 *   arm64 (cross)   the Dockerfile as written: RUN steps on $BUILDPLATFORM, no emulation
 *   arm64 (naive)   every `--platform=$BUILDPLATFORM` dropped, so `npm ci` and `tsc` run
 *                   in arm64 stages under QEMU (binfmt_misc, registered just for it)
 *
 * Each build starts from empty buildah storage (no layer cache) and pulls its bases from
 * a local registry holding the stand-in base images of the image suite. The last line is
 *   bench: arm64/amd64=<ratio> naive-arm64/cross-arm64=<ratio>
 *
 * Needs root and tests/image/install-tools.sh.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import {
    aarch64BinfmtActive,
    APP_DIR,
    APP_DOCKERFILE,
    BinfmtRegistration,
    Buildah,
    buildArgsFor,
    ensureAarch64Binfmt,
    LocalRegistry,
    pushStandInImages,
    requireTools,
    scratchRoot,
    StandInImages,
    startRegistry,
    withoutBuildPlatform,
    writeBuildahDockerfile,
} from "./lib";
import { OciArchitecture } from "../../policy-pack/architecture";
import { defineCommand, EXIT_OK, runAsProcess } from "../../commands/cli";

export const benchImageCommand = defineCommand({
    name: "bench:image",
    summary: [
        "How much the Dockerfile's cross-build design saves (a benchmark, not a test): times three builds of",
        "app/Dockerfile with buildah from empty storage, bases pulled from a local registry of stand-ins:",
        "  amd64           the Dockerfile as written, native",
        "  arm64 (cross)   the Dockerfile as written: RUN steps on $BUILDPLATFORM, no emulation",
        "  arm64 (naive)   every --platform=$BUILDPLATFORM dropped, so the RUN steps run under QEMU",
        "The last line is `bench: arm64/amd64=<ratio> naive-arm64/cross-arm64=<ratio>`.",
        "Needs root and the tools of tests/image/install-tools.sh; takes several minutes.",
    ].join("\n"),
    flags: {},
    failure: "a tool is missing or a build failed",
});

async function timeBuild(
    dir: string,
    dockerfile: string,
    arch: OciArchitecture,
    standIns: StandInImages,
): Promise<number> {
    const buildah = new Buildah(dir);
    try {
        const started = process.hrtime.bigint();
        await buildah.build({
            contextDir: APP_DIR,
            dockerfile,
            arch,
            buildArgs: buildArgsFor(standIns),
            tag: `localhost/bench:${arch}`,
        });
        return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
        await buildah.destroy();
    }
}

/** `a/b` with two decimals. */
export function ratio(a: number, b: number): string {
    return (a / b).toFixed(2);
}

/** Runs the benchmark, writing its lines to `write`. */
export async function benchImage(write: (text: string) => void): Promise<void> {
    const log = (line: string): void => write(`bench: ${line}\n`);
    requireTools();
    const work = fs.mkdtempSync(path.join(scratchRoot(), "image-bench-"));
    let registry: LocalRegistry | undefined;
    let binfmt: BinfmtRegistration | undefined;
    // Ctrl-C must still unregister binfmt and stop the registry.
    const interrupted = new Promise<never>((_, reject) =>
        process.once("SIGINT", () => reject(new Error("interrupted"))),
    );
    try {
        registry = await startRegistry(path.join(work, "registry"));
        const standIns = await pushStandInImages(registry, work);
        const probe = new Buildah(path.join(work, "probe"));
        log(
            `${await probe.version()}; ${os.cpus().length} CPUs; storage on ${scratchRoot()}; node stand-in ${standIns.nodeVersion}`,
        );
        // buildah 1.28 keeps one image per name, so the two platforms of one base cannot
        // both be pre-pulled: every build pulls its bases, and this says what that costs.
        const pullStarted = process.hrtime.bigint();
        await probe.run(["pull", "--quiet", "--tls-verify=false", "--platform", "linux/amd64", standIns.nodeImage]);
        const pullSeconds = Number(process.hrtime.bigint() - pullStarted) / 1e9;
        await probe.destroy();
        log(
            `pulling the node base once takes ${pullSeconds.toFixed(1)} s; included below once per build, twice in the cross arm64 one (amd64 build stages, arm64 runtime)`,
        );

        const text = fs.readFileSync(APP_DOCKERFILE, "utf8");
        const cross = writeBuildahDockerfile(work, text, "Dockerfile.cross");
        const naive = writeBuildahDockerfile(work, withoutBuildPlatform(text), "Dockerfile.naive");

        if (aarch64BinfmtActive()) {
            log("note: qemu-aarch64 binfmt was already active, so the cross builds below could have used emulation");
        }
        const amd64 = await Promise.race([timeBuild(path.join(work, "amd64"), cross, "amd64", standIns), interrupted]);
        log(`amd64 build, Dockerfile as written:               ${amd64.toFixed(1).padStart(6)} s`);
        const crossArm64 = await Promise.race([
            timeBuild(path.join(work, "arm64-cross"), cross, "arm64", standIns),
            interrupted,
        ]);
        log(`arm64 build, Dockerfile as written (cross):       ${crossArm64.toFixed(1).padStart(6)} s`);

        binfmt = await ensureAarch64Binfmt();
        log(binfmt.description);
        const naiveArm64 = await Promise.race([
            timeBuild(path.join(work, "arm64-naive"), naive, "arm64", standIns),
            interrupted,
        ]);
        log(`arm64 build, naive variant (RUN under QEMU):      ${naiveArm64.toFixed(1).padStart(6)} s`);

        log(`arm64/amd64=${ratio(crossArm64, amd64)} naive-arm64/cross-arm64=${ratio(naiveArm64, crossArm64)}`);
    } finally {
        await binfmt?.restore();
        await registry?.stop();
        fs.rmSync(work, { recursive: true, force: true });
    }
}

export const main = benchImageCommand.main(async (argv, write) => {
    benchImageCommand.parse(argv);
    await benchImage(write);
    return EXIT_OK;
});

if (require.main === module) {
    runAsProcess(main);
}
