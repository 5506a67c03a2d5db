/**
 * The stand-in for the Dockerfile's NODE_IMAGE base, made locally from what a build host without a
 * container registry can reach: Debian's own nodejs and npm packages for each architecture, with their
 * dependency closure, unpacked with `dpkg-deb -x` into a root filesystem (no maintainer scripts, so no emulation
 * is needed to assemble the arm64 one) and packed as one layer.
 *
 * Each root filesystem is cached as one compressed layer under os.tmpdir(), keyed by the exact package versions
 * apt resolved, so a rerun only uploads it.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { OciArchitecture } from "../../../policy-pack/architecture";
import { requireTool, run, scratchRoot } from "./exec";
import { LayerBlob, sha256, tarDirectory } from "./layers";

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
function aptConfig(dir: string, arch: OciArchitecture): string {
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
    arch: OciArchitecture;
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
export async function prepareNodeBase(
    arch: OciArchitecture,
    log: (line: string) => void = () => undefined,
): Promise<NodeBase> {
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
