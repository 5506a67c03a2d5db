// Which EC2 instance types, EKS AMI types and EKS node groups are arm64 (Graviton) and which are x86_64.
//
// This module is pure (no Pulumi imports) so that both the policy pack and the main program can use it.
// The pack owns it because `pulumi policy publish` uploads the pack folder alone
// (platform-facts.md, "Pulumi SDK behaviour"); the program imports from here, never the other way round.

/** A CPU architecture that Lambda, ECS and EKS can run Linux workloads on. */
export type CpuArchitecture = "arm64" | "x86_64";

/** What an instance type string tells us: an architecture, or "unknown" when it can't be classified. */
export type InstanceTypeArchitecture = CpuArchitecture | "unknown";

/**
 * What an EKS `amiType` tells us. "custom" means the AMI comes from a launch template (`CUSTOM`),
 * so its architecture cannot be read from the node group.
 */
export type AmiTypeArchitecture = CpuArchitecture | "custom";

/**
 * Graviton instance families by processor generation, as listed by aws/aws-graviton-getting-started
 * (platform-facts.md, "Amazon EKS managed node groups"). Exported for documentation and tests; the
 * classifier below uses the naming rule so that families launched later are recognised too.
 */
export const GRAVITON_FAMILIES: Readonly<Record<"graviton1" | "graviton2" | "graviton3" | "graviton4", readonly string[]>> = {
    graviton1: ["a1"],
    graviton2: ["m6g", "m6gd", "c6g", "c6gd", "c6gn", "r6g", "r6gd", "t4g", "x2gd", "g5g", "i4g", "im4gn", "is4gen"],
    graviton3: ["c7g", "c7gd", "c7gn", "m7g", "m7gd", "r7g", "r7gd", "hpc7g"],
    graviton4: ["c8g", "m8g", "r8g", "x8g", "i8g"],
};

/** Every family in GRAVITON_FAMILIES, flattened. */
export const GRAVITON_FAMILY_NAMES: readonly string[] = Object.values(GRAVITON_FAMILIES).flat();

/** EKS launches this type when a node group names no instance type (EKS API reference, CreateNodegroup `instanceTypes`). */
export const EKS_DEFAULT_INSTANCE_TYPE = "t3.medium";

/** Lambda runs on this architecture when `architectures` is unset (Lambda developer guide; platform-facts.md). */
export const LAMBDA_DEFAULT_ARCHITECTURE: CpuArchitecture = "x86_64";

/** An arm64 AMI type to suggest in fix instructions (one of the ARM_64 types listed in the EKS API reference). */
export const SUGGESTED_ARM64_AMI_TYPE = "AL2023_ARM_64_STANDARD";

/** An x86_64 AMI type to suggest in fix instructions. */
export const SUGGESTED_X86_64_AMI_TYPE = "AL2023_x86_64_STANDARD";

// `<family>.<size>`: sizes are nano..xlarge, Nxlarge, metal and metal-Nxl (e.g. c7i.metal-24xl).
const INSTANCE_TYPE_PATTERN = /^([a-z][a-z0-9-]*)\.(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$/;

// `<series letters><generation digits><options>`, e.g. m7g, im4gn, m7i-flex, p6-b200, u7i-12tb.
const FAMILY_PATTERN = /^([a-z]+)([0-9]+)([a-z0-9-]*)$/;

// The older high-memory families (u-6tb1, u-12tb1, ...) put a dash before the generation; they are Intel.
const LEGACY_HIGH_MEMORY_FAMILY_PATTERN = /^u-[0-9]+tb[0-9]+$/;

/**
 * Families whose names the rule of thumb would misread, classified as "unknown" on purpose so that
 * a policy asks a human instead of guessing. EC2 DescribeInstanceTypes
 * (`ProcessorInfo.SupportedArchitectures`) is the authority for these.
 */
function isRuleOfThumbException(family: string, series: string): boolean {
    // Mac instances report `x86_64_mac` / `arm64_mac` (mac2* are Apple silicon) and never run Linux nodes.
    if (series === "mac") {
        return true;
    }
    // P6e-GB200 pairs NVIDIA Blackwell GPUs with NVIDIA Grace (Arm) CPUs, yet reads as x86 by the rule.
    return family.startsWith("p6e-gb");
}

/**
 * The CPU architecture of an EC2 instance type such as `m7g.large`.
 *
 * Uses the naming rule from aws/aws-graviton-getting-started (platform-facts.md): the family (text before
 * the dot) is Graviton when it is `a1` or when the letters right after its generation digit start with
 * `g` (m6g, im4gn, is4gen, hpc7g, g5g). Everything else that is well formed is x86_64, which keeps the
 * GPU families right: g5, g4dn and g4ad are x86_64 and only g5g is arm64.
 *
 * Returns "unknown" for input that is not a well-formed lower-case instance type, and for the few
 * families the rule would misclassify (see isRuleOfThumbException).
 */
export function instanceTypeArchitecture(instanceType: string): InstanceTypeArchitecture {
    const typeMatch = INSTANCE_TYPE_PATTERN.exec(instanceType);
    if (!typeMatch) {
        return "unknown";
    }
    const family = typeMatch[1];
    if (family === "a1") {
        return "arm64";
    }
    if (LEGACY_HIGH_MEMORY_FAMILY_PATTERN.test(family)) {
        return "x86_64";
    }
    const familyMatch = FAMILY_PATTERN.exec(family);
    if (!familyMatch) {
        return "unknown";
    }
    const [, series, , options] = familyMatch;
    if (isRuleOfThumbException(family, series)) {
        return "unknown";
    }
    return options.startsWith("g") ? "arm64" : "x86_64";
}

/**
 * The CPU architecture of an EKS managed node group `amiType`.
 *
 * Per the EKS API reference ("Nodegroup", platform-facts.md) an AMI type is arm64 exactly when its name
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

/** What a node group's launch template contributes to its architecture. */
export interface NodeGroupLaunchTemplateFacts {
    /** The launch template's `instanceType`, when it sets one. */
    instanceType?: string;
    /** True when the launch template sets `imageId`: the AMI (and its architecture) then comes from there. */
    setsImageId: boolean;
}

/** The parts of a managed node group that decide its architecture. */
export interface NodeGroupArchitectureInput {
    /** The node group's `instanceTypes`; unset or empty means "none named". */
    instanceTypes?: readonly string[];
    /** The node group's `amiType`. */
    amiType?: string;
    /**
     * The launch template the node group uses: its facts when it could be read, "unresolved" when the
     * node group names one that could not be found (for example, one created outside this stack), and
     * undefined when the node group uses no launch template.
     */
    launchTemplate?: NodeGroupLaunchTemplateFacts | "unresolved";
}

/** The outcome of comparing a node group's instance types with its AMI type. */
export type NodeGroupArchitectureVerdict =
    | {
          kind: "consistent";
          architecture: CpuArchitecture;
          /** The instance types the verdict was based on (the EKS default when none were named). */
          instanceTypes: readonly string[];
      }
    | {
          kind: "mismatch";
          /** What was found, in one sentence. */
          found: string;
          /** How to fix it, in one sentence. */
          fix: string;
      }
    | {
          kind: "undetermined";
          /** Why the architecture cannot be known from the information available. */
          reason: string;
      };

function listTypes(types: readonly string[]): string {
    return types.join(", ");
}

/** Where a node group's instance types come from. */
export type InstanceTypeSource = "instanceTypes" | "launchTemplate" | "default";

/**
 * The instance types a node group will launch: its `instanceTypes`, else the launch template's
 * `instanceType`, else the EKS default t3.medium (EKS API reference, CreateNodegroup `instanceTypes`;
 * platform-facts.md). Undefined when they live in a launch template that could not be read.
 */
export function nodeGroupInstanceTypes(
    input: NodeGroupArchitectureInput,
): { instanceTypes: readonly string[]; source: InstanceTypeSource } | undefined {
    const { launchTemplate } = input;
    if (input.instanceTypes !== undefined && input.instanceTypes.length > 0) {
        return { instanceTypes: input.instanceTypes, source: "instanceTypes" };
    }
    if (launchTemplate === "unresolved") {
        return undefined;
    }
    if (launchTemplate?.instanceType !== undefined && launchTemplate.instanceType !== "") {
        return { instanceTypes: [launchTemplate.instanceType], source: "launchTemplate" };
    }
    return { instanceTypes: [EKS_DEFAULT_INSTANCE_TYPE], source: "default" };
}

/**
 * Decides whether a managed node group's instance types and AMI agree on one CPU architecture.
 *
 * The instance types come from nodeGroupInstanceTypes; the AMI architecture comes from the launch
 * template's `imageId` (unknowable), else `amiType` (unset means an x86_64 default, EKS API reference,
 * CreateNodegroup `amiType`; platform-facts.md).
 *
 * A definite conflict between known facts is a mismatch even when other facts are unknown.
 */
export function nodeGroupArchitecture(input: NodeGroupArchitectureInput): NodeGroupArchitectureVerdict {
    const { amiType, launchTemplate } = input;
    const effective = nodeGroupInstanceTypes(input);
    if (effective === undefined) {
        return {
            kind: "undetermined",
            reason: "the node group names no instanceTypes and its launch template is not in this stack, so its instance type cannot be read",
        };
    }
    const { instanceTypes, source: typeSource } = effective;

    const armTypes = instanceTypes.filter((t) => instanceTypeArchitecture(t) === "arm64");
    const x86Types = instanceTypes.filter((t) => instanceTypeArchitecture(t) === "x86_64");
    const unrecognisedTypes = instanceTypes.filter((t) => instanceTypeArchitecture(t) === "unknown");

    if (armTypes.length > 0 && x86Types.length > 0) {
        return {
            kind: "mismatch",
            found: `instanceTypes mix arm64 (${listTypes(armTypes)}) and x86_64 (${listTypes(x86Types)}) in one node group, but a node group runs a single AMI`,
            fix: "split them into one node group per architecture, each with a matching amiType",
        };
    }

    const amiComesFromLaunchTemplate = launchTemplate !== undefined && launchTemplate !== "unresolved" && launchTemplate.setsImageId;
    const amiArchitecture: AmiTypeArchitecture = amiComesFromLaunchTemplate ? "custom" : amiTypeArchitecture(amiType);
    const instanceArchitecture: CpuArchitecture | undefined = armTypes.length > 0 ? "arm64" : x86Types.length > 0 ? "x86_64" : undefined;

    if (amiArchitecture !== "custom" && instanceArchitecture !== undefined && instanceArchitecture !== amiArchitecture) {
        return describeMismatch(instanceArchitecture, instanceArchitecture === "arm64" ? armTypes : x86Types, typeSource, amiType);
    }
    if (amiArchitecture === "custom") {
        const where = amiComesFromLaunchTemplate ? "the launch template sets imageId" : "amiType is CUSTOM";
        return { kind: "undetermined", reason: `${where}, so the AMI's architecture cannot be read from the node group` };
    }
    if (unrecognisedTypes.length > 0 || instanceArchitecture === undefined) {
        return {
            kind: "undetermined",
            reason: `instance type ${listTypes(unrecognisedTypes)} is not a recognised EC2 instance type, so its architecture is unknown`,
        };
    }
    return { kind: "consistent", architecture: instanceArchitecture, instanceTypes };
}

function describeMismatch(
    instanceArchitecture: CpuArchitecture,
    conflictingTypes: readonly string[],
    typeSource: InstanceTypeSource,
    amiType: string | undefined,
): NodeGroupArchitectureVerdict {
    const amiDescription =
        amiType === undefined || amiType === ""
            ? "amiType is unset, so EKS uses an x86_64 AMI (AL2_x86_64 or AL2023_x86_64_STANDARD)"
            : `amiType ${amiType} is ${amiTypeArchitecture(amiType)}`;
    const typeDescription =
        typeSource === "default"
            ? `instanceTypes is unset, so EKS launches ${EKS_DEFAULT_INSTANCE_TYPE} (x86_64)`
            : typeSource === "launchTemplate"
              ? `the launch template's instance type ${listTypes(conflictingTypes)} is ${instanceArchitecture}`
              : `instance types ${listTypes(conflictingTypes)} are ${instanceArchitecture}`;
    const fix =
        instanceArchitecture === "arm64"
            ? `set amiType to an ARM_64 type such as ${SUGGESTED_ARM64_AMI_TYPE}`
            : typeSource === "default"
              ? "set instanceTypes to Graviton types such as t4g.medium or m7g.large"
              : `use Graviton instance types (for example m7g.large) with this amiType, or set amiType to an x86_64 type such as ${SUGGESTED_X86_64_AMI_TYPE}`;
    return { kind: "mismatch", found: `${typeDescription} but ${amiDescription}`, fix };
}
