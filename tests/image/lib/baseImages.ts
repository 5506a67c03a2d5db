/**
 * Stand-ins for the Dockerfile's base images, pushed to a local registry because only the npm registry and
 * Debian's mirrors are reachable (no Docker Hub, no ECR Public):
 *
 * - NODE_IMAGE: the Debian node root filesystem of each architecture (nodeBase.ts), uploaded as linux/amd64 and
 *   linux/arm64 images joined by an index.
 * - LAMBDA_ADAPTER_IMAGE: an index of two tiny images, each holding a `/lambda-adapter` file that names its
 *   architecture, so the built image shows which child it copied from.
 */
import * as fs from "fs";

import { filesLayer, LayerBlob, sha256 } from "./layers";
import { NodeBase, prepareNodeBase } from "./nodeBase";
import { OCI_ARCHITECTURES, OciArchitecture } from "../../../policy-pack/architecture";
import {
    Descriptor,
    LocalRegistry,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER_GZIP,
    OCI_MANIFEST,
    pushBlob,
    putManifest,
} from "./registry";

export interface StandInImages {
    /** Value for the Dockerfile's NODE_IMAGE build arg: an index of amd64 and arm64. */
    nodeImage: string;
    /** Value for LAMBDA_ADAPTER_IMAGE: an index of amd64 and arm64. */
    lambdaAdapterImage: string;
    nodeVersion: string;
}

/** The host's CA bundle: the stand-in must trust whatever the host trusts to reach the npm registry. */
const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** First line of the stand-in adapter, per architecture; the suite looks for it in the built image. */
export function lambdaAdapterMarker(arch: OciArchitecture): string {
    return `lambda-adapter stand-in for linux/${arch}`;
}

interface ImageConfig {
    Env?: string[];
    Cmd?: string[];
}

async function pushImage(
    registry: LocalRegistry,
    repository: string,
    tag: string,
    arch: OciArchitecture,
    layers: readonly LayerBlob[],
    imageConfig: ImageConfig,
): Promise<Descriptor> {
    for (const layer of layers) {
        await pushBlob(registry.url, repository, layer.digest, layer.read());
    }
    const config = Buffer.from(
        JSON.stringify({
            architecture: arch,
            os: "linux",
            config: imageConfig,
            rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.diffId) },
            history: layers.map(() => ({ created_by: "tests/image/lib/baseImages.ts (stand-in)" })),
        }),
    );
    const configDigest = sha256(config);
    await pushBlob(registry.url, repository, configDigest, config);
    const descriptor = await putManifest(registry.url, repository, tag, OCI_MANIFEST, {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
        layers: layers.map((layer) => ({ mediaType: OCI_LAYER_GZIP, digest: layer.digest, size: layer.size })),
    });
    return { ...descriptor, platform: { os: "linux", architecture: arch } };
}

async function pushIndex(
    registry: LocalRegistry,
    repository: string,
    tag: string,
    children: readonly Descriptor[],
): Promise<string> {
    await putManifest(registry.url, repository, tag, OCI_INDEX, {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: children,
    });
    return `${registry.host}/${repository}:${tag}`;
}

/**
 * Uploads both stand-in base images to `registry` over its HTTP API: the node one as the
 * cached root filesystem layer plus a layer with the host's CA bundle, the adapter one as
 * a single small file. `scratch` is a directory for temporary files.
 */
export async function pushStandInImages(
    registry: LocalRegistry,
    scratch: string,
    log: (line: string) => void = () => undefined,
): Promise<StandInImages> {
    const bases: NodeBase[] = [];
    for (const arch of OCI_ARCHITECTURES) {
        bases.push(await prepareNodeBase(arch, log));
    }
    const nodeVersion = bases[0].nodeVersion;
    const nodeTag = nodeVersion.replace(/[^A-Za-z0-9_.-]/g, "_");
    // Debian's node reads this file as extra CA certificates, so npm ci works behind a
    // TLS-inspecting proxy. A layer of its own: it is the host's, not Debian's, and not cached.
    const caLayer = fs.existsSync(HOST_CA_BUNDLE)
        ? [
              await filesLayer(scratch, {
                  "etc/ssl/certs/ca-certificates.crt": { content: fs.readFileSync(HOST_CA_BUNDLE), mode: 0o644 },
              }),
          ]
        : [];
    const nodeChildren: Descriptor[] = [];
    for (const base of bases) {
        const layer = base.layer;
        const child = await pushImage(
            registry,
            "stand-in/node",
            `${nodeTag}-${base.arch}`,
            base.arch,
            [layer, ...caLayer],
            {
                Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                Cmd: ["node"],
            },
        );
        nodeChildren.push(child);
        log(`${base.arch}: pushed stand-in node ${nodeVersion} (${(layer.size / 1e6).toFixed(0)} MB layer)`);
    }
    const nodeImage = await pushIndex(registry, "stand-in/node", nodeTag, nodeChildren);

    const adapterChildren: Descriptor[] = [];
    for (const arch of OCI_ARCHITECTURES) {
        const layer = await filesLayer(scratch, {
            "lambda-adapter": { content: `#!/bin/sh\n# ${lambdaAdapterMarker(arch)}\nexit 0\n`, mode: 0o755 },
        });
        adapterChildren.push(
            await pushImage(registry, "stand-in/lambda-adapter", `stand-in-${arch}`, arch, [layer], {}),
        );
    }
    const lambdaAdapterImage = await pushIndex(registry, "stand-in/lambda-adapter", "stand-in", adapterChildren);
    return { nodeImage, lambdaAdapterImage, nodeVersion };
}
