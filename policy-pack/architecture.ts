// The two CPU architectures as each AWS service and OCI spell them, and what a digest-pinned image reference
// looks like. One table for the program, the pack and the commands.
//
// Pure (no imports): the pack owns it because `pulumi policy publish` uploads the pack folder alone, and the
// program imports from here, never the other way round (docs/platform-facts.md, "Pulumi SDK behaviour").

/** A CPU architecture that Lambda, ECS and EKS run Linux workloads on, in Lambda's and EC2's spelling. */
export type CpuArchitecture = "x86_64" | "arm64";

/** Each architecture's names (docs/platform-facts.md: "Amazon ECS", "AWS Lambda", "Container images"). */
export interface ArchitectureNames {
    /** Lambda `architectures` and EC2 `ProcessorInfo.SupportedArchitectures`. */
    readonly lambda: CpuArchitecture;
    /** ECS `runtimePlatform.cpuArchitecture`. */
    readonly ecs: "X86_64" | "ARM64";
    /** The OCI platform architecture (`GOARCH`), as image indexes list it. */
    readonly oci: "amd64" | "arm64";
    /** The build platform docker-build and BuildKit take. */
    readonly platform: "linux/amd64" | "linux/arm64";
    /** What Node's `os.arch()` reports on it. */
    readonly node: "x64" | "arm64";
    /** Every spelling a person or a tool may use for it (lower case), e.g. in the `x-target-arch` header. */
    readonly aliases: readonly string[];
    /** In words, for reports. */
    readonly label: string;
}

export const ARCHITECTURES: Readonly<Record<CpuArchitecture, ArchitectureNames>> = {
    x86_64: {
        lambda: "x86_64",
        ecs: "X86_64",
        oci: "amd64",
        platform: "linux/amd64",
        node: "x64",
        aliases: ["amd64", "x86_64"],
        label: "x86_64",
    },
    arm64: {
        lambda: "arm64",
        ecs: "ARM64",
        oci: "arm64",
        platform: "linux/arm64",
        node: "arm64",
        aliases: ["arm64", "aarch64"],
        label: "Graviton arm64",
    },
};

/** Both architectures, x86_64 first. */
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ["x86_64", "arm64"];

/** An OCI platform architecture (`amd64`, `arm64`). */
export type OciArchitecture = ArchitectureNames["oci"];

/** The OCI architectures in the order of CPU_ARCHITECTURES. */
export const OCI_ARCHITECTURES: readonly OciArchitecture[] = CPU_ARCHITECTURES.map((arch) => ARCHITECTURES[arch].oci);

/** An ECS `cpuArchitecture` (`X86_64`, `ARM64`). */
export type EcsCpuArchitecture = ArchitectureNames["ecs"];

/** The ECS spellings in the order of CPU_ARCHITECTURES. */
export const ECS_CPU_ARCHITECTURES: readonly EcsCpuArchitecture[] = CPU_ARCHITECTURES.map(
    (arch) => ARCHITECTURES[arch].ecs,
);

/** The architecture an OCI name (`amd64`, `arm64`) stands for. */
export function fromOci(oci: OciArchitecture): CpuArchitecture {
    return CPU_ARCHITECTURES.find((arch) => ARCHITECTURES[arch].oci === oci) as CpuArchitecture;
}

/** The architecture an ECS name (`X86_64`, `ARM64`) stands for. */
export function fromEcs(ecs: EcsCpuArchitecture): CpuArchitecture {
    return CPU_ARCHITECTURES.find((arch) => ARCHITECTURES[arch].ecs === ecs) as CpuArchitecture;
}

/** True for a platform string that selects linux/arm64 (`linux/arm64`, or `linux/arm64/v8` with its variant). */
export function isLinuxArm64Platform(platform: string): boolean {
    return platform === ARCHITECTURES.arm64.platform || platform === `${ARCHITECTURES.arm64.platform}/v8`;
}

/** A content digest as registries print it: `sha256:` and 64 lower-case hex digits (OCI image spec, descriptor). */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** An image reference pinned by digest: `<repository>[:tag]@sha256:<64 hex>`. */
export const DIGEST_PINNED_REFERENCE = /@sha256:[0-9a-f]{64}$/;

/** True when an image reference names its content by digest, so it cannot move between preview and deploy. */
export function isDigestPinned(reference: string): boolean {
    return DIGEST_PINNED_REFERENCE.test(reference);
}

/** The `sha256:…` part of a digest-pinned reference; undefined when the reference is not pinned. */
export function digestOf(reference: string): string | undefined {
    return isDigestPinned(reference) ? reference.slice(reference.lastIndexOf("@") + 1) : undefined;
}
