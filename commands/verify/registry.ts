/**
 * A small client for the registry HTTP API (OCI distribution spec), which ECR speaks: image references, GETs that
 * follow redirects by hand, and the manifest documents verify reads.
 */
import * as crypto from "crypto";
import { DIGEST } from "../../policy-pack/architecture";

export interface ImageRef {
    /** Registry host, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `127.0.0.1:5000`. */
    registry: string;
    repository: string;
    /** `sha256:...` when pinned by digest. */
    digest?: string;
    tag?: string;
}

export function parseImageRef(ref: string): ImageRef {
    const slash = ref.indexOf("/");
    if (slash <= 0) {
        throw new Error(`image reference "${ref}" has no registry host`);
    }
    const registry = ref.slice(0, slash);
    let rest = ref.slice(slash + 1);
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) {
            throw new Error(`image reference "${ref}" has a malformed digest "${digest}"`);
        }
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    if (rest === "") {
        throw new Error(`image reference "${ref}" has no repository`);
    }
    return { registry, repository: rest, digest, tag };
}

export interface HttpResponse {
    status: number;
    headers: { get(name: string): string | null };
    arrayBuffer(): Promise<ArrayBuffer>;
}

/** GET with headers and no automatic redirects; the registry client handles them itself. */
export type HttpGet = (url: string, headers: Record<string, string>) => Promise<HttpResponse>;

export const fetchGet: HttpGet = (url, headers) => fetch(url, { headers, redirect: "manual" });

export interface RegistryEndpoint {
    /** `https://<host>` for ECR, `http://127.0.0.1:<port>` for a local test registry. */
    baseUrl: string;
    /** Authorization header value, e.g. `Basic <ECR token>`; none for an open registry. */
    authorization?: string;
}

export const INDEX_MEDIA_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
export const IMAGE_MEDIA_TYPES = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/**
 * GETs a registry path, following redirects by hand: ECR answers blob requests with a
 * redirect to S3, which must not receive the registry's Authorization header.
 */
export async function registryGet(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    path: string,
    accept: readonly string[],
): Promise<Buffer> {
    let url = `${endpoint.baseUrl}${path}`;
    const origin = new URL(url).origin;
    for (let hop = 0; hop < 5; hop++) {
        const headers: Record<string, string> = { Accept: accept.join(", ") };
        if (endpoint.authorization && new URL(url).origin === origin) {
            headers.Authorization = endpoint.authorization;
        }
        const response = await get(url, headers);
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
            url = new URL(location, url).toString();
            continue;
        }
        if (response.status !== 200) {
            const hint =
                response.status === 401 || response.status === 403
                    ? " (registry credentials missing or not allowed)"
                    : "";
            throw new Error(`GET ${url} answered ${response.status}${hint}`);
        }
        return Buffer.from(await response.arrayBuffer());
    }
    throw new Error(`GET ${endpoint.baseUrl}${path}: too many redirects`);
}

export function sha256(bytes: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;
}

export interface Descriptor {
    mediaType?: string;
    digest: string;
    platform?: { os?: string; architecture?: string; variant?: string };
    annotations?: Record<string, string>;
}

export interface ManifestDocument {
    mediaType?: string;
    manifests?: Descriptor[];
    config?: Descriptor;
}

export interface ConfigDocument {
    os?: string;
    architecture?: string;
}

export function parseJson<T>(bytes: Buffer, what: string): T {
    try {
        return JSON.parse(bytes.toString("utf8")) as T;
    } catch {
        throw new Error(`${what} is not JSON`);
    }
}
