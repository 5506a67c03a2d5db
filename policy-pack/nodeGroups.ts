// How an EKS managed node group's instance types, AMI type and launch template decide its architecture, and
// whether they agree. Pure, like graviton.ts, on whose instance-family tables it rests.

import type { CpuArchitecture } from "./architecture";
import {
    EKS_DEFAULT_INSTANCE_TYPE,
    SUGGESTED_ARM64_AMI_TYPE,
    SUGGESTED_X86_64_AMI_TYPE,
    instanceTypeArchitecture,
    amiTypeArchitecture,
} from "./graviton";
import type { AmiTypeArchitecture } from "./graviton";
import type { AmiArchitecture } from "./amis";

/** What a node group's launch template contributes to its architecture. */
export interface NodeGroupLaunchTemplateFacts {
    /** The launch template's `instanceType`, when it sets one. */
    instanceType?: string;
    /** True when the launch template sets `imageId`: the AMI (and its architecture) then comes from there. */
    setsImageId: boolean;
    /** What amis.ts could read of that AMI's architecture (an in-stack AMI, an AWS public SSM parameter, the config). */
    image?: AmiArchitecture;
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
 * docs/platform-facts.md). Undefined when they live in a launch template that could not be read.
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
 * CreateNodegroup `amiType`; docs/platform-facts.md).
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

    // A launch template outside the stack may set its own AMI (imageId); EKS then takes the AMI from the template
    // and rejects an amiType beside it, so with amiType unset the AMI's architecture cannot be known here.
    if (launchTemplate === "unresolved" && (amiType === undefined || amiType === "")) {
        return {
            kind: "undetermined",
            reason:
                "the node group uses a launch template that is not in this stack and sets no amiType, so its AMI may come from that " +
                "template and its architecture cannot be read here",
        };
    }
    const amiComesFromLaunchTemplate =
        launchTemplate !== undefined && launchTemplate !== "unresolved" && launchTemplate.setsImageId;
    // The template's AMI decides when amis.ts can read its architecture; otherwise it is unknowable here ("custom").
    const templateImage = amiComesFromLaunchTemplate ? launchTemplate.image : undefined;
    const amiArchitecture: AmiTypeArchitecture = amiComesFromLaunchTemplate
        ? templateImage?.kind === "known"
            ? templateImage.architecture
            : "custom"
        : amiTypeArchitecture(amiType);
    const instanceArchitecture: CpuArchitecture | undefined =
        armTypes.length > 0 ? "arm64" : x86Types.length > 0 ? "x86_64" : undefined;

    if (
        amiArchitecture !== "custom" &&
        instanceArchitecture !== undefined &&
        instanceArchitecture !== amiArchitecture
    ) {
        return describeMismatch(
            instanceArchitecture,
            instanceArchitecture === "arm64" ? armTypes : x86Types,
            typeSource,
            amiType,
            templateImage?.kind === "known" ? templateImage.source : undefined,
        );
    }
    if (amiArchitecture === "custom") {
        const where = amiComesFromLaunchTemplate
            ? `the launch template sets imageId${templateImage?.kind === "unknown" ? ` (${templateImage.reason})` : ""}`
            : "amiType is CUSTOM";
        return {
            kind: "undetermined",
            reason: `${where}, so the AMI's architecture cannot be read from the node group`,
        };
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
    templateImageSource?: string,
): NodeGroupArchitectureVerdict {
    const amiDescription =
        templateImageSource !== undefined
            ? `the launch template's AMI is ${instanceArchitecture === "arm64" ? "x86_64" : "arm64"} (${templateImageSource})`
            : amiType === undefined || amiType === ""
              ? "amiType is unset, so EKS uses an x86_64 AMI (AL2_x86_64 or AL2023_x86_64_STANDARD)"
              : `amiType ${amiType} is ${amiTypeArchitecture(amiType)}`;
    const typeDescription =
        typeSource === "default"
            ? `instanceTypes is unset, so EKS launches ${EKS_DEFAULT_INSTANCE_TYPE} (x86_64)`
            : typeSource === "launchTemplate"
              ? `the launch template's instance type ${listTypes(conflictingTypes)} is ${instanceArchitecture}`
              : `instance types ${listTypes(conflictingTypes)} are ${instanceArchitecture}`;
    const fix =
        templateImageSource !== undefined
            ? instanceArchitecture === "arm64"
                ? "use an arm64 AMI in the launch template (for example the arm64 variant of the same SSM parameter)"
                : "use Graviton instance types (for example m7g.large), or an x86_64 AMI in the launch template"
            : instanceArchitecture === "arm64"
              ? `set amiType to an ARM_64 type such as ${SUGGESTED_ARM64_AMI_TYPE}`
              : typeSource === "default"
                ? "set instanceTypes to Graviton types such as t4g.medium or m7g.large"
                : `use Graviton instance types (for example m7g.large) with this amiType, or set amiType to an x86_64 type such as ${SUGGESTED_X86_64_AMI_TYPE}`;
    return { kind: "mismatch", found: `${typeDescription} but ${amiDescription}`, fix };
}
