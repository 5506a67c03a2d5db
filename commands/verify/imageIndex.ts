/**
 * Checks an image index in a registry: exactly the platforms this project builds, each child's config agreeing
 * with its entry, and the stack's per-platform digests being exactly the children.
 */
import { Check, fail, pass } from "./checks";
import {
    ConfigDocument,
    Descriptor,
    HttpGet,
    IMAGE_MEDIA_TYPES,
    INDEX_MEDIA_TYPES,
    ManifestDocument,
    parseJson,
    RegistryEndpoint,
    registryGet,
    sha256,
} from "./registry";
import { ARCHITECTURES, ArchitectureNames, CPU_ARCHITECTURES } from "../../policy-pack/architecture";

/** The platforms an image of this project must be built for, in the index's naming. */
export const EXPECTED_PLATFORMS = CPU_ARCHITECTURES.map((arch) => ARCHITECTURES[arch].platform);
export type ExpectedPlatform = ArchitectureNames["platform"];

export interface IndexExpectation {
    /** Digests the stack hands out for each platform (amd64Ref/arm64Ref); checked when given. */
    childDigests?: Partial<Record<ExpectedPlatform, string>>;
}

export interface IndexReport {
    checks: Check[];
    /** The index's child digest per platform, when the index could be read. */
    children: Partial<Record<ExpectedPlatform, string>>;
}

function platformOf(descriptor: Descriptor): string {
    const platform = descriptor.platform ?? {};
    return [platform.os ?? "?", platform.architecture ?? "?", ...(platform.variant ? [platform.variant] : [])].join(
        "/",
    );
}

/**
 * Reads the index `reference` (a tag or digest) of `repository` and checks: it is an
 * index; it lists exactly linux/amd64 and linux/arm64; each child's config blob says the
 * same os/architecture; and, when given, the stack's per-platform digests are exactly
 * the children. A buildx attestation entry would also be reported as an extra platform:
 * this project's images must not carry one, since Lambda cannot pull such an index
 * (docs/platform-facts.md, "Image architectures per runtime").
 */
export async function checkImageIndex(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    repository: string,
    reference: string,
    expectation: IndexExpectation = {},
): Promise<IndexReport> {
    const checks: Check[] = [];
    const children: Partial<Record<ExpectedPlatform, string>> = {};
    const indexName = `index ${repository}:${reference.startsWith("sha256:") ? reference.slice(7, 19) : reference}`;
    let indexBytes: Buffer;
    try {
        indexBytes = await registryGet(get, endpoint, `/v2/${repository}/manifests/${reference}`, [
            ...INDEX_MEDIA_TYPES,
            ...IMAGE_MEDIA_TYPES,
        ]);
    } catch (err) {
        checks.push(fail(`${indexName} readable`, (err as Error).message));
        return { checks, children };
    }
    if (reference.startsWith("sha256:") && sha256(indexBytes) !== reference) {
        checks.push(fail(`${indexName} digest`, `content hashes to ${sha256(indexBytes)}, not ${reference}`));
        return { checks, children };
    }
    const index = parseJson<ManifestDocument>(indexBytes, `${indexName}`);
    if (!index.mediaType || !INDEX_MEDIA_TYPES.includes(index.mediaType) || !Array.isArray(index.manifests)) {
        checks.push(
            fail(
                `${indexName} is an image index`,
                `media type ${index.mediaType ?? "(none)"}: a single-platform image, not an index`,
            ),
        );
        return { checks, children };
    }
    const listed = index.manifests.map(platformOf);
    const expected = [...EXPECTED_PLATFORMS];
    const exact =
        listed.length === expected.length &&
        expected.every((platform) => listed.filter((p) => p === platform).length === 1);
    checks.push(
        exact
            ? pass(`${indexName} platforms`, `exactly ${expected.join(", ")}`)
            : fail(`${indexName} platforms`, `lists [${listed.join(", ")}], expected exactly [${expected.join(", ")}]`),
    );

    for (const platform of EXPECTED_PLATFORMS) {
        const descriptor = index.manifests.find((entry) => platformOf(entry) === platform);
        if (!descriptor) {
            continue;
        }
        children[platform] = descriptor.digest;
        const wanted = expectation.childDigests?.[platform];
        if (wanted !== undefined) {
            const label = platform === "linux/amd64" ? "amd64Ref" : "arm64Ref";
            checks.push(
                wanted === descriptor.digest
                    ? pass(`${label} is the index's ${platform} child`, descriptor.digest)
                    : fail(
                          `${label} is the index's ${platform} child`,
                          `${label} has ${wanted}, the index lists ${descriptor.digest}`,
                      ),
            );
        }
        checks.push(await checkChildConfig(get, endpoint, repository, descriptor, platform));
    }
    return { checks, children };
}

async function checkChildConfig(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    repository: string,
    descriptor: Descriptor,
    platform: string,
): Promise<Check> {
    const name = `${platform} child config`;
    try {
        const manifestBytes = await registryGet(
            get,
            endpoint,
            `/v2/${repository}/manifests/${descriptor.digest}`,
            IMAGE_MEDIA_TYPES,
        );
        if (sha256(manifestBytes) !== descriptor.digest) {
            return fail(name, `manifest hashes to ${sha256(manifestBytes)}, not ${descriptor.digest}`);
        }
        const manifest = parseJson<ManifestDocument>(manifestBytes, `manifest ${descriptor.digest}`);
        if (!manifest.config?.digest) {
            return fail(name, `manifest ${descriptor.digest} names no config blob`);
        }
        const configBytes = await registryGet(get, endpoint, `/v2/${repository}/blobs/${manifest.config.digest}`, [
            "application/octet-stream",
            "*/*",
        ]);
        if (sha256(configBytes) !== manifest.config.digest) {
            return fail(name, `config blob hashes to ${sha256(configBytes)}, not ${manifest.config.digest}`);
        }
        const config = parseJson<ConfigDocument>(configBytes, `config ${manifest.config.digest}`);
        const actual = `${config.os ?? "?"}/${config.architecture ?? "?"}`;
        return actual === platform
            ? pass(name, `config says ${actual}`)
            : fail(name, `the index says ${platform} but the config says ${actual}`);
    } catch (err) {
        return fail(name, (err as Error).message);
    }
}
