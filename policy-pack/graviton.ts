// Which EC2 instance types, EKS AMI types and EKS node groups are arm64 (Graviton) and which are x86_64.
// Instance types are looked up in instanceTypes.ts, generated from EC2 DescribeInstanceTypes (docs/platform-facts.md,
// "EC2 instance architectures"); GRAVITON_FAMILIES only names the Graviton generations for messages.
//
// This module is pure (no Pulumi imports) so that both the policy pack and the main program can use it.
// The pack owns it because `pulumi policy publish` uploads the pack folder alone
// (docs/platform-facts.md, "Pulumi SDK behaviour"); the program imports from here, never the other way round.

import { CPU_ARCHITECTURES } from "./architecture";
import type { CpuArchitecture } from "./architecture";
import { DERIVED_FAMILIES, FAMILY_ARCHITECTURES, TYPE_ARCHITECTURES } from "./instanceTypes";
import type { Ec2Architecture } from "./instanceTypes";

export type { CpuArchitecture } from "./architecture";
export type { Ec2Architecture } from "./instanceTypes";

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

// FAMILY_ARCHITECTURES and DERIVED_FAMILIES as one map, split once at load (instanceTypes.ts keeps them as strings).
const ARCHITECTURES_BY_FAMILY: ReadonlyMap<string, readonly Ec2Architecture[]> = new Map([
    ...Object.entries(FAMILY_ARCHITECTURES).map(([family, archs]) => [family, splitArchitectures(archs)] as const),
    ...Object.entries(DERIVED_FAMILIES).map(([family, [archs]]) => [family, splitArchitectures(archs)] as const),
]);

function splitArchitectures(architectures: string): readonly Ec2Architecture[] {
    return architectures.split(" ") as Ec2Architecture[];
}

/**
 * AWS Batch's instance type keywords (Batch API reference, ComputeResource `instanceTypes`): `optimal` picks from
 * x86 families (c4, m4, r4, c5, m5, r5; since 11/2025 as `default_x86_64` does), `default_x86_64` from m6i, c6i,
 * r6i and c7i, `default_arm64` from m6g, c6g, r6g and c7g.
 */
export const BATCH_INSTANCE_TYPE_KEYWORDS: Readonly<Record<string, readonly Ec2Architecture[]>> = {
    optimal: ["x86_64"],
    default_x86_64: ["x86_64"],
    default_arm64: ["arm64"],
};

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

// A family alone (`c7g`) or as a wildcard over its sizes (`c7g.*`), as EC2 Fleet and Batch accept them.
const FAMILY_PATTERN = /^([a-z][a-z0-9-]*)(?:\.\*)?$/;

// The order of EC2's ArchitectureType enum (EC2 API reference), so that a family's union reads the same every time.
const EC2_ARCHITECTURE_ORDER: readonly Ec2Architecture[] = ["i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac"];

/** Every architecture the sizes of a family support, from instanceTypes.ts; undefined for an unlisted family. */
function familyArchitectures(family: string): readonly Ec2Architecture[] | undefined {
    const architectures = ARCHITECTURES_BY_FAMILY.get(family);
    if (architectures === undefined) {
        return undefined;
    }
    const sizes = Object.entries(TYPE_ARCHITECTURES)
        .filter(([type]) => type.startsWith(`${family}.`))
        .flatMap(([, archs]) => splitArchitectures(archs));
    const all = new Set([...architectures, ...sizes]);
    return EC2_ARCHITECTURE_ORDER.filter((arch) => all.has(arch));
}

/**
 * The architectures EC2 reports (`ProcessorInfo.SupportedArchitectures`) for an instance type name as EC2,
 * Auto Scaling and Batch take it: an instance type (`c7g.large`), a family (`c7g`), a family wildcard (`c7g.*`)
 * or a Batch keyword (`optimal`, `default_x86_64`, `default_arm64`). A family or wildcard gets every architecture
 * any of its sizes supports. Undefined for a name the data in instanceTypes.ts does not list (or not lower case).
 */
export function architecturesOf(name: string): readonly Ec2Architecture[] | undefined {
    if (Object.hasOwn(BATCH_INSTANCE_TYPE_KEYWORDS, name)) {
        return BATCH_INSTANCE_TYPE_KEYWORDS[name];
    }
    const typeMatch = INSTANCE_TYPE_PATTERN.exec(name);
    if (typeMatch) {
        const exception = Object.hasOwn(TYPE_ARCHITECTURES, name) ? TYPE_ARCHITECTURES[name] : undefined;
        return exception !== undefined ? splitArchitectures(exception) : ARCHITECTURES_BY_FAMILY.get(typeMatch[1]);
    }
    const familyMatch = FAMILY_PATTERN.exec(name);
    return familyMatch ? familyArchitectures(familyMatch[1]) : undefined;
}

/**
 * The CPU architecture of an EC2 instance type such as `m7g.large`, from architecturesOf: arm64 or x86_64 when
 * the type supports that one (i386-capable types support x86_64 too).
 *
 * Returns "unknown" for input that is not a well-formed lower-case instance type (a family or wildcard names no
 * one type), for Mac families (macOS on dedicated hosts, x86_64_mac or arm64_mac: never Linux nodes), and for any
 * family instanceTypes.ts does not list: a name alone does not settle it (p6e-gb200 reads like an x86 GPU family).
 */
export function instanceTypeArchitecture(instanceType: string): InstanceTypeArchitecture {
    if (!INSTANCE_TYPE_PATTERN.test(instanceType)) {
        return "unknown";
    }
    const architectures = architecturesOf(instanceType) ?? [];
    const linux = CPU_ARCHITECTURES.filter((arch) => architectures.includes(arch));
    return linux.length === 1 ? linux[0] : "unknown";
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
