/**
 * Stand-ins for the Dockerfile's base images, made on this machine because only the
 * npm registry and Debian's mirrors are reachable (no Docker Hub, no ECR Public):
 *
 * - NODE_IMAGE: Debian's own nodejs and npm packages for each architecture, with their
 *   dependency closure, unpacked with `dpkg-deb -x` into a root filesystem (no maintainer
 *   scripts, so no emulation is needed to assemble the arm64 one), uploaded as
 *   linux/amd64 and linux/arm64 images joined by an index.
 * - LAMBDA_ADAPTER_IMAGE: an index of two tiny images, each holding a `/lambda-adapter`
 *   file that names its architecture, so the built image shows which child it copied from.
 *
 * Each root filesystem is cached as one compressed layer under os.tmpdir(), keyed by
 * the exact package versions apt resolved, so a rerun only uploads it.
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

import { Arch, ARCHES } from "./buildah";
import { requireTool, run, scratchRoot } from "./exec";
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

/** What the build stage needs: node, npm (for `npm ci`/`npm run`), and /bin/sh for RUN. */
export const NODE_PACKAGES = ["nodejs", "npm", "dash", "coreutils"] as const;

/** Bumped whenever the way a root filesystem is assembled changes, so old caches are not reused. */
const LAYOUT_VERSION = "3";

/** Paths a build or a run never reads; dropping them keeps vfs copies and pushes small. */
const TRIMMED_PATHS = ["usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "usr/include"];

export function cacheRoot(): string {
    return process.env.IMAGE_TEST_CACHE ?? path.join(os.tmpdir(), "graviton-multiarch-image-cache");
}

function debianCodename(): string {
    const osRelease = fs.existsSync("/etc/os-release") ? fs.readFileSync("/etc/os-release", "utf8") : "";
    return /^VERSION_CODENAME=(\S+)$/m.exec(osRelease)?.[1] ?? "bookworm";
}

/**
 * A private apt configuration for one architecture: its own sources, package lists,
 * status file (empty: nothing counts as installed, so apt resolves the full closure)
 * and download cache. The host's apt state and architecture list are never touched.
 */
function aptConfig(dir: string, arch: Arch): string {
    const mirror = process.env.IMAGE_TEST_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
    const securityMirror = process.env.IMAGE_TEST_DEBIAN_SECURITY_MIRROR ?? "http://deb.debian.org/debian-security";
    const codename = debianCodename();
    for (const sub of ["sources", "preferences", "lists/partial", "archives/partial"]) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
    }
    const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    fs.writeFileSync(
        path.join(dir, "sources", "debian.sources"),
        [
            `Types: deb\nURIs: ${mirror}\nSuites: ${codename} ${codename}-updates\nComponents: main\nSigned-By: ${keyring}\n`,
            `Types: deb\nURIs: ${securityMirror}\nSuites: ${codename}-security\nComponents: main\nSigned-By: ${keyring}\n`,
        ].join("\n"),
    );
    const statusFile = path.join(dir, "status");
    if (!fs.existsSync(statusFile)) {
        fs.writeFileSync(statusFile, "");
    }
    const conf = path.join(dir, "apt.conf");
    fs.writeFileSync(
        conf,
        [
            `Dir::Etc::SourceList "/dev/null";`,
            `Dir::Etc::SourceParts "${dir}/sources";`,
            `Dir::Etc::Preferences "/dev/null";`,
            `Dir::Etc::PreferencesParts "${dir}/preferences";`,
            `Dir::State::Lists "${dir}/lists";`,
            `Dir::State::status "${statusFile}";`,
            `Dir::Cache "${dir}";`,
            `Dir::Cache::archives "${dir}/archives";`,
            `APT::Architecture "${arch}";`,
            `APT::Architectures { "${arch}"; };`,
            `APT::Install-Recommends "false";`,
            `Acquire::Languages "none";`,
            // The directories are root's; apt's _apt download user could not write them.
            `APT::Sandbox::User "root";`,
            // A private status file means no dpkg database to lock.
            `Debug::NoLocking "true";`,
            "",
        ].join("\n"),
    );
    return conf;
}

interface ResolvedPackage {
    url: string;
    /** The .deb's file name: package, version and architecture. */
    file: string;
}

/** What `apt-get --print-uris` lists: `'<url>' <file> <size> <hash>` per package, in install order. */
export function parsePrintUris(output: string): ResolvedPackage[] {
    const packages: ResolvedPackage[] = [];
    for (const line of output.split("\n")) {
        const match = /^'([^']+)'\s+(\S+\.deb)\s/.exec(line);
        if (match) {
            packages.push({ url: match[1], file: match[2] });
        }
    }
    return packages;
}

/** A stable key for a package set: the same versions give the same key, whatever the order. */
export function packageSetKey(files: readonly string[]): string {
    const hash = crypto.createHash("sha256");
    hash.update(`layout ${LAYOUT_VERSION}\n`);
    for (const file of [...files].sort()) {
        hash.update(`${file}\n`);
    }
    return hash.digest("hex").slice(0, 16);
}

export interface NodeBase {
    arch: Arch;
    /** The nodejs package version, e.g. `18.20.4+dfsg-1~deb12u3`. */
    nodeVersion: string;
    /** The root filesystem as one compressed layer, cached under cacheRoot(). */
    layer: LayerBlob;
}

/**
 * Resolves nodejs and npm for `arch` against today's Debian lists and returns the root
 * filesystem layer for exactly those package versions: from the cache when it holds one,
 * else downloaded, unpacked with `dpkg-deb -x`, finished by hand and packed.
 */
export async function prepareNodeBase(arch: Arch, log: (line: string) => void = () => undefined): Promise<NodeBase> {
    const aptGet = requireTool("apt-get");
    const dpkgDeb = requireTool("dpkg-deb");
    const aptDir = path.join(cacheRoot(), `apt-${arch}`);
    const env = { ...process.env, APT_CONFIG: aptConfig(aptDir, arch), DEBIAN_FRONTEND: "noninteractive" };

    // Every run asks the mirror for fresh lists (a few seconds): a security update then
    // changes the key and rebuilds the layer instead of reusing a stale one.
    await run(aptGet, ["update", "-qq"], { env, timeoutMs: 10 * 60 * 1000 });
    const printed = await run(aptGet, ["install", "--print-uris", "-qq", ...NODE_PACKAGES], { env });
    const packages = parsePrintUris(printed.stdout);
    const nodejs = packages.find((pkg) => pkg.file.startsWith("nodejs_"));
    if (!nodejs) {
        throw new Error(`apt resolved no nodejs package for ${arch}:\n${printed.stdout}${printed.stderr}`);
    }
    const nodeVersion = decodeURIComponent(nodejs.file.split("_")[1]);
    const key = packageSetKey(packages.map((pkg) => pkg.file));
    const blobFile = path.join(cacheRoot(), `layer-${arch}-${key}.tar.gz`);
    const cached = readCachedLayer(blobFile);
    if (cached) {
        log(
            `${arch}: cached layer for nodejs ${nodeVersion} and ${packages.length - 1} other packages (${path.basename(blobFile)})`,
        );
        return { arch, nodeVersion, layer: cached };
    }

    log(`${arch}: downloading and unpacking ${packages.length} packages (nodejs ${nodeVersion})`);
    await run(aptGet, ["install", "--download-only", "--yes", "-qq", ...NODE_PACKAGES], {
        env,
        timeoutMs: 20 * 60 * 1000,
    });
    // Unpacked where the run's scratch space is (a tmpfs when there is one): it is
    // written once, packed and thrown away.
    const rootfs = fs.mkdtempSync(path.join(scratchRoot(), `rootfs-${arch}-`));
    try {
        for (const pkg of packages) {
            const deb = path.join(aptDir, "archives", pkg.file);
            if (!fs.existsSync(deb)) {
                throw new Error(`apt reported ${pkg.file} but did not download it to ${path.dirname(deb)}`);
            }
            await run(dpkgDeb, ["-x", deb, rootfs]);
        }
        finishRootfs(rootfs);
        const { compressed, diffId } = await tarDirectory(rootfs);
        // Written under a temporary name and renamed, metadata first, so an interrupted
        // run never leaves a blob that a later run would take for a complete one.
        fs.writeFileSync(
            `${blobFile}.json`,
            JSON.stringify({ digest: sha256(compressed), diffId, size: compressed.length }),
        );
        fs.writeFileSync(`${blobFile}.partial-${process.pid}`, compressed);
        fs.renameSync(`${blobFile}.partial-${process.pid}`, blobFile);
    } finally {
        fs.rmSync(rootfs, { recursive: true, force: true });
    }
    // Layers of older package sets and the unpacked .debs are not needed again.
    for (const entry of fs.readdirSync(cacheRoot())) {
        if (entry.startsWith(`layer-${arch}-`) && !entry.startsWith(path.basename(blobFile))) {
            fs.rmSync(path.join(cacheRoot(), entry), { force: true });
        }
    }
    for (const file of fs.readdirSync(path.join(aptDir, "archives"))) {
        if (file.endsWith(".deb")) {
            fs.rmSync(path.join(aptDir, "archives", file));
        }
    }
    const layer = readCachedLayer(blobFile);
    if (!layer) {
        throw new Error(`could not read back the layer just written to ${blobFile}`);
    }
    return { arch, nodeVersion, layer };
}

function readCachedLayer(blobFile: string): LayerBlob | undefined {
    if (!fs.existsSync(blobFile) || !fs.existsSync(`${blobFile}.json`)) {
        return undefined;
    }
    const meta = JSON.parse(fs.readFileSync(`${blobFile}.json`, "utf8")) as {
        digest: string;
        diffId: string;
        size: number;
    };
    if (fs.statSync(blobFile).size !== meta.size) {
        return undefined;
    }
    return { ...meta, read: () => fs.readFileSync(blobFile) };
}

/** What maintainer scripts and a real base image would have added, done by hand. */
function finishRootfs(dir: string): void {
    for (const trimmed of TRIMMED_PATHS) {
        fs.rmSync(path.join(dir, trimmed), { recursive: true, force: true });
    }
    // uid 1000 is the official node image's `node` user, which the Dockerfile's USER names.
    fs.mkdirSync(path.join(dir, "etc"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "etc", "passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
    );
    fs.writeFileSync(path.join(dir, "etc", "group"), "root:x:0:\nnode:x:1000:\n");
    for (const [sub, mode] of [
        ["tmp", 0o1777],
        ["root", 0o700],
        ["home/node", 0o755],
    ] as const) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
        fs.chmodSync(path.join(dir, sub), mode);
    }
    fs.chownSync(path.join(dir, "home", "node"), 1000, 1000);
}

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
export function lambdaAdapterMarker(arch: Arch): string {
    return `lambda-adapter stand-in for linux/${arch}`;
}

interface LayerBlob {
    /** Digest of the gzip-compressed tar: the blob's name in the registry. */
    digest: string;
    /** Digest of the uncompressed tar: what the image config lists in rootfs.diff_ids. */
    diffId: string;
    size: number;
    read(): Buffer;
}

function sha256(bytes: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;
}

/** A gzip-compressed tar of everything under `dir`, ownership kept numeric (uid 1000 stays 1000). */
async function tarDirectory(dir: string): Promise<{ compressed: Buffer; diffId: string }> {
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
async function filesLayer(
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

interface ImageConfig {
    Env?: string[];
    Cmd?: string[];
}

async function pushImage(
    registry: LocalRegistry,
    repository: string,
    tag: string,
    arch: Arch,
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
            history: layers.map(() => ({ created_by: "tests-image/lib/baseImages.ts (stand-in)" })),
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
    for (const arch of ARCHES) {
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
    for (const arch of ARCHES) {
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
