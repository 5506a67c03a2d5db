/** The image architectures this project builds, in Docker's naming, and how Node names them. */
import * as os from "os";

export const ARCHES = ["amd64", "arm64"] as const;
export type Arch = (typeof ARCHES)[number];

/** Node's `process.arch` for each image architecture: what the app reports on GET /. */
export const NODE_ARCH: Record<Arch, string> = { amd64: "x64", arm64: "arm64" };

export function isArch(value: string): value is Arch {
    return (ARCHES as readonly string[]).includes(value);
}

/** The image architecture of a Node architecture name (`os.arch()`), if this project builds one. */
export function archOfNode(nodeArch: string = os.arch()): Arch | undefined {
    return ARCHES.find((arch) => NODE_ARCH[arch] === nodeArch);
}

/** This machine's platform in Docker's naming; the build stages run on it. */
export function hostPlatform(nodeArch: string = os.arch()): `linux/${Arch}` {
    const arch = archOfNode(nodeArch);
    if (arch === undefined) {
        throw new Error(`no Docker platform for host architecture ${nodeArch}`);
    }
    return `linux/${arch}`;
}
