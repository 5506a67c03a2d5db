// Which EC2 instance types, EKS AMI types and EKS node groups are arm64 (Graviton) and which are x86_64.
//
// This module is pure (no Pulumi imports) so that both the policy pack and the main program can use it.
// The pack owns it because `pulumi policy publish` uploads the pack folder alone
// (docs/platform-facts.md, "Pulumi SDK behaviour"); the program imports from here, never the other way round.

import type { CpuArchitecture } from "./architecture";

export type { CpuArchitecture } from "./architecture";

/** What an instance type string tells us: an architecture, or "unknown" when it can't be classified. */
export type InstanceTypeArchitecture = CpuArchitecture | "unknown";

/**
 * What an EKS `amiType` tells us. "custom" means the AMI comes from a launch template (`CUSTOM`),
 * so its architecture cannot be read from the node group.
 */
export type AmiTypeArchitecture = CpuArchitecture | "custom";

/**
 * Graviton instance families by processor generation, as listed by aws/aws-graviton-getting-started
 * (docs/platform-facts.md, "Amazon EKS managed node groups"), plus P6e-GB200, whose host CPU is NVIDIA Grace (Arm
 * Neoverse V2): EC2 reports it as arm64 although it is not a Graviton.
 */
export const GRAVITON_FAMILIES: Readonly<
    Record<"graviton1" | "graviton2" | "graviton3" | "graviton4" | "otherArm64", readonly string[]>
> = {
    graviton1: ["a1"],
    graviton2: ["m6g", "m6gd", "c6g", "c6gd", "c6gn", "r6g", "r6gd", "t4g", "x2gd", "g5g", "i4g", "im4gn", "is4gen"],
    graviton3: ["c7g", "c7gd", "c7gn", "m7g", "m7gd", "r7g", "r7gd", "hpc7g"],
    graviton4: ["c8g", "c8gd", "c8gn", "m8g", "m8gd", "r8g", "r8gd", "x8g", "i8g", "i8ge"],
    otherArm64: ["p6e-gb200"],
};

/** Every arm64 family in GRAVITON_FAMILIES, flattened. */
export const GRAVITON_FAMILY_NAMES: readonly string[] = Object.values(GRAVITON_FAMILIES).flat();

/**
 * x86_64 (Intel and AMD) families in the EC2 instance type list, current and previous generation. Only families
 * listed here or in GRAVITON_FAMILIES are classified; any other name is "unknown", so that a family launched
 * after this list was written is reported as advisory instead of being guessed from its name.
 */
export const X86_64_FAMILY_NAMES: readonly string[] = [
    // General purpose
    "t1",
    "t2",
    "t3",
    "t3a",
    "m1",
    "m2",
    "m3",
    "m4",
    "m5",
    "m5a",
    "m5ad",
    "m5d",
    "m5dn",
    "m5n",
    "m5zn",
    "m6a",
    "m6i",
    "m6id",
    "m6idn",
    "m6in",
    "m7a",
    "m7i",
    "m7i-flex",
    "m8i",
    "m8i-flex",
    // Compute optimised
    "c1",
    "c3",
    "c4",
    "c5",
    "c5a",
    "c5ad",
    "c5d",
    "c5n",
    "c6a",
    "c6i",
    "c6id",
    "c6in",
    "c7a",
    "c7i",
    "c7i-flex",
    "c8i",
    "c8i-flex",
    // Memory optimised
    "r3",
    "r4",
    "r5",
    "r5a",
    "r5ad",
    "r5b",
    "r5d",
    "r5dn",
    "r5n",
    "r6a",
    "r6i",
    "r6id",
    "r6idn",
    "r6in",
    "r7a",
    "r7i",
    "r7iz",
    "r8i",
    "r8i-flex",
    "x1",
    "x1e",
    "x2idn",
    "x2iedn",
    "x2iezn",
    "z1d",
    "u-3tb1",
    "u-6tb1",
    "u-9tb1",
    "u-12tb1",
    "u-18tb1",
    "u-24tb1",
    "u7i-6tb",
    "u7i-8tb",
    "u7i-12tb",
    "u7in-16tb",
    "u7in-24tb",
    "u7in-32tb",
    // Storage optimised
    "d2",
    "d3",
    "d3en",
    "h1",
    "i2",
    "i3",
    "i3en",
    "i4i",
    "i7i",
    "i7ie",
    // Accelerated computing (g5g and p6e-gb200 are the arm64 ones, above)
    "dl1",
    "dl2q",
    "f1",
    "f2",
    "g2",
    "g3",
    "g3s",
    "g4ad",
    "g4dn",
    "g5",
    "g6",
    "g6e",
    "g6f",
    "gr6",
    "gr6f",
    "inf1",
    "inf2",
    "p2",
    "p3",
    "p3dn",
    "p4d",
    "p4de",
    "p5",
    "p5e",
    "p5en",
    "p6-b200",
    "trn1",
    "trn1n",
    "trn2",
    "vt1",
    // High performance computing
    "hpc6a",
    "hpc6id",
    "hpc7a",
];

/**
 * Mac families: EC2 reports their architecture as `x86_64_mac` (mac1) or `arm64_mac` (mac2*, Apple silicon).
 * They run macOS on dedicated hosts and cannot be EKS nodes, so they are neither Linux x86_64 nor Graviton:
 * classified "unknown" on purpose (advisory), never as arm64.
 */
export const MAC_FAMILY_NAMES: readonly string[] = ["mac1", "mac2", "mac2-m1ultra", "mac2-m2", "mac2-m2pro"];

const ARCHITECTURE_BY_FAMILY: ReadonlyMap<string, CpuArchitecture> = new Map([
    ...GRAVITON_FAMILY_NAMES.map((family): [string, CpuArchitecture] => [family, "arm64"]),
    ...X86_64_FAMILY_NAMES.map((family): [string, CpuArchitecture] => [family, "x86_64"]),
]);

/** EKS launches this type when a node group names no instance type (EKS API reference, CreateNodegroup `instanceTypes`). */
export const EKS_DEFAULT_INSTANCE_TYPE = "t3.medium";

/** Lambda runs on this architecture when `architectures` is unset (Lambda developer guide; docs/platform-facts.md). */
export const LAMBDA_DEFAULT_ARCHITECTURE: CpuArchitecture = "x86_64";

/** An arm64 AMI type to suggest in fix instructions (one of the ARM_64 types listed in the EKS API reference). */
export const SUGGESTED_ARM64_AMI_TYPE = "AL2023_ARM_64_STANDARD";

/** An x86_64 AMI type to suggest in fix instructions. */
export const SUGGESTED_X86_64_AMI_TYPE = "AL2023_x86_64_STANDARD";

// `<family>.<size>`: sizes are nano..xlarge, Nxlarge, metal and metal-Nxl (e.g. c7i.metal-24xl).
const INSTANCE_TYPE_PATTERN =
    /^([a-z][a-z0-9-]*)\.(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$/;

/**
 * The CPU architecture of an EC2 instance type such as `m7g.large`, looked up by its family (the text before
 * the dot) in GRAVITON_FAMILIES and X86_64_FAMILY_NAMES.
 *
 * Returns "unknown" for input that is not a well-formed lower-case instance type, for Mac families, and for
 * any family the tables do not list: EC2 DescribeInstanceTypes (`ProcessorInfo.SupportedArchitectures`) is the
 * authority for those, and a name alone does not settle it (p6e-gb200 reads like an x86 GPU family).
 */
export function instanceTypeArchitecture(instanceType: string): InstanceTypeArchitecture {
    const typeMatch = INSTANCE_TYPE_PATTERN.exec(instanceType);
    if (!typeMatch) {
        return "unknown";
    }
    return ARCHITECTURE_BY_FAMILY.get(typeMatch[1]) ?? "unknown";
}

/**
 * The CPU architecture of an EKS managed node group `amiType`.
 *
 * Per the EKS API reference ("Nodegroup", docs/platform-facts.md) an AMI type is arm64 exactly when its name
 * contains `ARM_64`; `CUSTOM` means the AMI comes from a launch template. When `amiType` is unset EKS
 * picks an x86_64 default (AL2_x86_64, or AL2023_x86_64_STANDARD on newer Kubernetes versions), so an
 * unset or empty value is reported as "x86_64".
 */
export function amiTypeArchitecture(amiType: string | undefined): AmiTypeArchitecture {
    if (amiType === undefined || amiType === "") {
        return "x86_64";
    }
    if (amiType === "CUSTOM") {
        return "custom";
    }
    return amiType.includes("ARM_64") ? "arm64" : "x86_64";
}
