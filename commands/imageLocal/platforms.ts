/** The image architectures this project builds, in Docker's naming, and how Node names them. */
import * as os from "os";
import { ARCHITECTURES, fromOci, OCI_ARCHITECTURES, OciArchitecture } from "../../policy-pack/architecture";

/** Node's `process.arch` for each image architecture: what the app reports on GET /. */
export const NODE_ARCH: Record<OciArchitecture, string> = {
    amd64: ARCHITECTURES[fromOci("amd64")].node,
    arm64: ARCHITECTURES[fromOci("arm64")].node,
};

export function isArch(value: string): value is OciArchitecture {
    return (OCI_ARCHITECTURES as readonly string[]).includes(value);
}

/** The image architecture of a Node architecture name (`os.arch()`), if this project builds one. */
export function archOfNode(nodeArch: string = os.arch()): OciArchitecture | undefined {
    return OCI_ARCHITECTURES.find((arch) => NODE_ARCH[arch] === nodeArch);
}

/** The host's platform in Docker's naming; the build stages run on it. */
export function hostPlatform(nodeArch: string = os.arch()): `linux/${OciArchitecture}` {
    const arch = archOfNode(nodeArch);
    if (arch === undefined) {
        throw new Error(`no Docker platform for host architecture ${nodeArch}`);
    }
    return `linux/${arch}`;
}
