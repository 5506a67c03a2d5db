/**
 * Builds app/Dockerfile the way MultiArchImage does in the cloud: one image per
 * platform, tagged `<repo>:<tag>-amd64` and `<repo>:<tag>-arm64`, joined by an index
 * tagged `<repo>:<tag>` (components/multiArchImage.ts), here pushed to a local registry.
 */
import * as fs from "fs";
import * as path from "path";

import { Buildah, withExplicitTargetPlatform } from "./buildah";
import { APP_DIR } from "../../../commands/imageLocal/imageLocal";
import { OCI_ARCHITECTURES, OciArchitecture } from "../../../policy-pack/architecture";
import { StandInImages } from "./baseImages";
import { LocalRegistry } from "./registry";

export { APP_DIR };
export const APP_DOCKERFILE = path.join(APP_DIR, "Dockerfile");

export interface PushedApp {
    repository: string;
    tag: string;
    /** `<host>/<repository>:<tag>`: the index. */
    indexTagRef: string;
    indexDigest: string;
    /** Digest of each single-platform manifest as pushed. */
    digests: Record<OciArchitecture, string>;
    /** Seconds each `buildah build` took. */
    buildSeconds: Record<OciArchitecture, number>;
}

export function buildArgsFor(standIns: StandInImages): Record<string, string> {
    return { NODE_IMAGE: standIns.nodeImage, LAMBDA_ADAPTER_IMAGE: standIns.lambdaAdapterImage };
}

/**
 * Writes the Dockerfile buildah 1.28 is given (see withExplicitTargetPlatform) next to
 * the storage, never into app/, and returns its path.
 */
export function writeBuildahDockerfile(dir: string, dockerfileText: string, name = "Dockerfile.buildah"): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, withExplicitTargetPlatform(dockerfileText));
    return file;
}

export async function buildAndPushApp(
    buildah: Buildah,
    registry: LocalRegistry,
    standIns: StandInImages,
    tag: string,
    log: (line: string) => void = () => undefined,
): Promise<PushedApp> {
    const repository = "app";
    const dockerfile = writeBuildahDockerfile(buildah.dir, fs.readFileSync(APP_DOCKERFILE, "utf8"));
    const digests = {} as Record<OciArchitecture, string>;
    const buildSeconds = {} as Record<OciArchitecture, number>;
    const children: string[] = [];
    for (const arch of OCI_ARCHITECTURES) {
        const local = `localhost/app:${tag}-${arch}`;
        const started = process.hrtime.bigint();
        await buildah.build({ contextDir: APP_DIR, dockerfile, arch, buildArgs: buildArgsFor(standIns), tag: local });
        buildSeconds[arch] = Number(process.hrtime.bigint() - started) / 1e9;
        const remote = `${registry.host}/${repository}:${tag}-${arch}`;
        digests[arch] = await buildah.push(local, remote);
        children.push(remote);
        log(`built and pushed ${remote} in ${buildSeconds[arch].toFixed(1)} s (${digests[arch]})`);
    }
    const indexTagRef = `${registry.host}/${repository}:${tag}`;
    const indexDigest = await buildah.pushIndex(`app-list-${tag}`, children, indexTagRef);
    log(`pushed index ${indexTagRef} (${indexDigest})`);
    return { repository, tag, indexTagRef, indexDigest, digests, buildSeconds };
}
