// AWS Batch compute environments on EC2: the instance types (and any AMI they boot) must share one architecture.
//
// Resource policies: a compute environment names its instance types, image types and AMI overrides itself, so its
// own inputs decide. Values not known yet, AMIs and launch templates the pack cannot read, and names it does not
// recognise go to the advisory policy, never to a guess (docs/platform-facts.md, "Batch, CodeBuild and EMR
// Serverless architectures").

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CPU_ARCHITECTURES, ECS_CPU_ARCHITECTURES } from "./architecture";
import type { CpuArchitecture } from "./architecture";
import { BATCH_INSTANCE_TYPE_KEYWORDS, architecturesOf } from "./graviton";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import {
    EXEMPTIONS_SCHEMA,
    NodeGroupPolicyConfig,
    REQUIRE_GRAVITON_SCHEMA,
    exemptionFor,
    requireGraviton,
} from "./policyConfig";
import {
    BATCH_COMPUTE_ENVIRONMENT,
    BATCH_JOB_DEFINITION,
    NATIVE_BATCH_COMPUTE_ENVIRONMENT,
    NATIVE_BATCH_JOB_DEFINITION,
} from "./resourceTypes";
import { Known, asString, asStringArray, knownOrDeferToEngine, readPath } from "./unknowns";

/** The compute environment types the policies judge: the classic provider's and the aws-native (Cloud Control) one. */
const COMPUTE_ENVIRONMENT_TYPES: readonly string[] = [BATCH_COMPUTE_ENVIRONMENT, NATIVE_BATCH_COMPUTE_ENVIRONMENT];

// Batch API reference, ComputeResource `type`: EC2 and SPOT launch instances; FARGATE and FARGATE_SPOT have no instance types.
const EC2_RESOURCE_TYPES: readonly string[] = ["EC2", "SPOT"];

/**
 * The architectures of the AMIs each Batch ECS image type selects (Batch API reference, Ec2Configuration `imageType`):
 * ECS_AL2 and ECS_AL2023 pick the ECS-optimized AMI for each instance's architecture (ECS vends x86 and ARM versions),
 * ECS_AL2_NVIDIA "can be used for all non AWS Graviton-based instance types". Other values are not judged.
 */
export const BATCH_IMAGE_TYPE_ARCHITECTURES: Readonly<Record<string, readonly CpuArchitecture[]>> = {
    ECS_AL2: ["x86_64", "arm64"],
    ECS_AL2023: ["x86_64", "arm64"],
    ECS_AL2_NVIDIA: ["x86_64"],
};

/** What a compute environment's inputs say about its architecture. */
export interface ComputeEnvironmentAssessment {
    /** Known conflicts between two facts, each as a "found" sentence with its fix. */
    conflicts: { found: string; fix: string }[];
    /** Instance types (or keywords) that are known to be x86_64, for requireGraviton. */
    x86Types: string[];
    /** Why some of the architecture cannot be verified from the stack. */
    unknowns: string[];
}

/** The one Linux architecture an instance type, family, wildcard or Batch keyword runs; undefined when not exactly one. */
function batchTypeArchitecture(name: string): CpuArchitecture | undefined {
    const architectures = architecturesOf(name) ?? [];
    const linux = CPU_ARCHITECTURES.filter((arch) => architectures.includes(arch));
    return linux.length === 1 ? linux[0] : undefined;
}

function unknownReason(value: Known<unknown> & { known: false }): string {
    return `computeResources.${value.path.replace(/^computeResources\./, "")} is not known until the update runs`;
}

function describeType(name: string): string {
    return Object.hasOwn(BATCH_INSTANCE_TYPE_KEYWORDS, name) ? `the keyword ${name}` : name;
}

/** Reads a compute environment's inputs and finds conflicts, x86_64 types and what cannot be verified. */
export function assessComputeEnvironment(props: unknown): ComputeEnvironmentAssessment | undefined {
    const assessment: ComputeEnvironmentAssessment = { conflicts: [], x86Types: [], unknowns: [] };
    const resourceType = readPath(props, "computeResources", "type");
    if (!resourceType.known) {
        assessment.unknowns.push(unknownReason(resourceType));
        return assessment;
    }
    if (!EC2_RESOURCE_TYPES.includes(asString(resourceType.value) ?? "")) {
        return undefined;
    }
    const instanceTypes = readPath(props, "computeResources", "instanceTypes");
    const byArchitecture: Record<CpuArchitecture, string[]> = { x86_64: [], arm64: [] };
    if (!instanceTypes.known) {
        assessment.unknowns.push(unknownReason(instanceTypes));
    } else if (!Array.isArray(instanceTypes.value) || instanceTypes.value.length === 0) {
        assessment.unknowns.push(
            "computeResources.instanceTypes is empty, so the pack cannot tell what Batch launches",
        );
    } else {
        for (const item of instanceTypes.value) {
            const name = String(item);
            const architecture = typeof item === "string" ? batchTypeArchitecture(item) : undefined;
            if (architecture === undefined) {
                assessment.unknowns.push(
                    `instance type ${JSON.stringify(name)} has no single Linux architecture in the pack's instance type table`,
                );
            } else {
                byArchitecture[architecture].push(name);
            }
        }
    }
    const { x86_64: x86Types, arm64: armTypes } = byArchitecture;
    assessment.x86Types = x86Types;
    if (x86Types.length > 0 && armTypes.length > 0) {
        // Batch refuses Arm beside x86 types, and optimal picks x86 families (docs/platform-facts.md, "Batch, CodeBuild and EMR Serverless architectures").
        const keywords = x86Types.filter((type) => Object.hasOwn(BATCH_INSTANCE_TYPE_KEYWORDS, type));
        assessment.conflicts.push({
            found:
                `computeResources.instanceTypes mix arm64 (${armTypes.join(", ")}) and x86_64 (${x86Types.map(describeType).join(", ")})` +
                (keywords.length > 0 ? `; ${keywords.join(" and ")} picks x86 instance families only` : ""),
            fix:
                "give each architecture its own compute environment (for Graviton, list arm64 types such as m7g or the keyword " +
                "default_arm64, without optimal)",
        });
    }
    readImages(props, armTypes, x86Types, assessment);
    return assessment;
}

// The AMIs: per Ec2Configuration an imageIdOverride (an AMI the pack cannot read) or an imageType (table above);
// computeResources.imageId (an AMI); a launch template (which may carry an AMI).
function readImages(
    props: unknown,
    armTypes: string[],
    x86Types: string[],
    assessment: ComputeEnvironmentAssessment,
): void {
    // The aws provider names the list ec2Configurations; aws-native, after CloudFormation, Ec2Configuration.
    for (const property of ["ec2Configurations", "ec2Configuration"]) {
        const configurations = readPath(props, "computeResources", property);
        if (!configurations.known) {
            assessment.unknowns.push(unknownReason(configurations));
            continue;
        }
        const entries = Array.isArray(configurations.value) ? configurations.value : [];
        entries.forEach((entry: unknown, index) => {
            const path = `computeResources.${property}[${index}]`;
            // Already copied out of the engine's proxy by readPath, so plain values.
            const fields = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
            const override = asString(fields.imageIdOverride);
            const imageType = asString(fields.imageType);
            if (override !== undefined && override !== "") {
                assessment.unknowns.push(
                    `${path}.imageIdOverride ${override} is an AMI whose architecture the stack does not show`,
                );
                return;
            }
            if (imageType === undefined || imageType === "") {
                return;
            }
            const imageArchitectures = Object.hasOwn(BATCH_IMAGE_TYPE_ARCHITECTURES, imageType)
                ? BATCH_IMAGE_TYPE_ARCHITECTURES[imageType]
                : undefined;
            if (imageArchitectures === undefined) {
                assessment.unknowns.push(
                    `${path}.imageType ${imageType} is not one whose AMI architectures the pack knows`,
                );
                return;
            }
            for (const [architecture, types] of [
                ["arm64", armTypes],
                ["x86_64", x86Types],
            ] as const) {
                if (types.length > 0 && !imageArchitectures.includes(architecture)) {
                    assessment.conflicts.push({
                        found: `${path}.imageType ${imageType} selects ${imageArchitectures.join(" and ")} AMIs only, but instance types ${types.join(", ")} are ${architecture}`,
                        fix:
                            architecture === "arm64"
                                ? "use imageType ECS_AL2023 (it selects the arm64 AMI for Graviton types) or x86 instance types"
                                : "use an imageType that has AMIs for these instance types",
                    });
                }
            }
        });
    }
    const imageId = readPath(props, "computeResources", "imageId");
    if (!imageId.known) {
        assessment.unknowns.push(unknownReason(imageId));
    } else if (typeof imageId.value === "string" && imageId.value !== "") {
        assessment.unknowns.push(
            `computeResources.imageId ${imageId.value} is an AMI whose architecture the stack does not show`,
        );
    }
    const launchTemplate = readPath(props, "computeResources", "launchTemplate");
    if (!launchTemplate.known || (launchTemplate.value !== undefined && launchTemplate.value !== null)) {
        assessment.unknowns.push(
            "computeResources.launchTemplate may supply an AMI whose architecture the stack does not show",
        );
    }
}

function notApplicableUnlessComputeEnvironment(args: ResourceValidationArgs): ComputeEnvironmentAssessment {
    if (!COMPUTE_ENVIRONMENT_TYPES.includes(args.type)) {
        args.notApplicable(`Policy only applies to ${COMPUTE_ENVIRONMENT_TYPES.join(" or ")} resources`);
    }
    const assessment = assessComputeEnvironment(args.props);
    if (assessment === undefined) {
        args.notApplicable("The compute environment has no EC2 or SPOT compute resources (Fargate or unmanaged)");
    }
    return assessment as ComputeEnvironmentAssessment;
}

/**
 * Mandatory: Batch refuses a compute environment whose instance types mix Arm and x86 (and `optimal` is x86), and an
 * image type without AMIs for its instance types cannot boot them. With `requireGraviton`, x86_64 types are refused.
 */
export const batchComputeEnvironmentArchitectureMatch: ResourceValidationPolicy = {
    name: "batch-compute-environment-architecture-match",
    description:
        "AWS Batch EC2 compute environments must use instance types and image types of one architecture (arm64 only, with requireGraviton).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const assessment = notApplicableUnlessComputeEnvironment(args);
        const config = args.getConfig<NodeGroupPolicyConfig>();
        if (exemptionFor(config, args.name)) {
            return;
        }
        const subject = `Batch compute environment "${args.name}"`;
        for (const conflict of assessment.conflicts) {
            reportViolation(
                violationMessage({
                    subject,
                    found: conflict.found,
                    required: "the instance types and AMIs of a compute environment must share one architecture",
                    fix: `${conflict.fix}; ${EXEMPTION_HINT}`,
                }),
            );
        }
        if (requireGraviton(config) && assessment.x86Types.length > 0) {
            reportViolation(
                violationMessage({
                    subject,
                    found: `computeResources.instanceTypes include x86_64 types (${assessment.x86Types.map(describeType).join(", ")})`,
                    required: "requireGraviton is set, so every compute environment must be arm64",
                    fix: `list Graviton types only (for example m7g, c7g or the keyword default_arm64) with imageType ECS_AL2023; ${EXEMPTION_HINT}`,
                }),
            );
        }
    },
};

/** Advisory: what the mandatory policy cannot judge (unknown values, AMIs, launch templates, unlisted types) is said, not passed. */
export const batchComputeEnvironmentArchitectureUnknown: ResourceValidationPolicy = {
    name: "batch-compute-environment-architecture-unknown",
    description:
        "Reports AWS Batch EC2 compute environments whose architecture cannot be verified (custom AMI, launch template, unknown instance type).",
    enforcementLevel: "advisory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const assessment = notApplicableUnlessComputeEnvironment(args);
        if (assessment.unknowns.length === 0) {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `Batch compute environment "${args.name}"`,
                found: `its architecture cannot be verified: ${assessment.unknowns.join("; ")}`,
                required: "every instance type and AMI of a compute environment must be of one known architecture",
                fix: "use instance types from the pack's table and an imageType such as ECS_AL2023, or check that the AMI and launch template match the instance types' architecture",
            }),
        );
    },
};

/** The job definition types the Fargate policies judge: the classic provider's and the aws-native one. */
const JOB_DEFINITION_TYPES: readonly string[] = [BATCH_JOB_DEFINITION, NATIVE_BATCH_JOB_DEFINITION];

/** What a Fargate job definition says about its CPU architecture. */
export type FargateJobArchitecture =
    | { kind: "declared"; cpuArchitecture: "X86_64" | "ARM64" }
    | { kind: "default" }
    | { kind: "unverifiable"; reason: string };

/**
 * Reads `containerProperties.runtimePlatform.cpuArchitecture` of a job definition whose platformCapabilities include
 * FARGATE (undefined otherwise). Unset means X86_64 (Batch API reference, RuntimePlatform `cpuArchitecture`).
 * Values not known during preview are left to the engine's "can't run policy during preview" advisory.
 */
export function fargateJobArchitecture(props: unknown): FargateJobArchitecture | undefined {
    const capabilities = asStringArray(knownOrDeferToEngine(readPath(props, "platformCapabilities"))) ?? [];
    if (!capabilities.includes("FARGATE")) {
        return undefined;
    }
    let container = knownOrDeferToEngine(readPath(props, "containerProperties"));
    if (container === undefined || container === null) {
        return {
            kind: "unverifiable",
            reason: "it has no containerProperties (ecsProperties or nodeProperties are not read by the pack)",
        };
    }
    if (typeof container === "string") {
        // The aws provider takes containerProperties as a JSON string.
        try {
            container = JSON.parse(container) as unknown;
        } catch {
            return { kind: "unverifiable", reason: "containerProperties is not valid JSON" };
        }
    }
    const cpuArchitecture = readPath(container, "runtimePlatform", "cpuArchitecture");
    const value = cpuArchitecture.known ? cpuArchitecture.value : undefined;
    if (value === undefined || value === null) {
        return { kind: "default" };
    }
    if (typeof value === "string" && (ECS_CPU_ARCHITECTURES as readonly string[]).includes(value)) {
        return { kind: "declared", cpuArchitecture: value as "X86_64" | "ARM64" };
    }
    return {
        kind: "unverifiable",
        reason: `containerProperties.runtimePlatform.cpuArchitecture is ${JSON.stringify(value)}, which Batch does not accept`,
    };
}

function notApplicableUnlessFargateJob(args: ResourceValidationArgs): FargateJobArchitecture {
    if (!JOB_DEFINITION_TYPES.includes(args.type)) {
        args.notApplicable(`Policy only applies to ${JOB_DEFINITION_TYPES.join(" or ")} resources`);
    }
    const architecture = fargateJobArchitecture(args.props);
    if (architecture === undefined) {
        args.notApplicable("The job definition's platformCapabilities do not include FARGATE");
    }
    return architecture as FargateJobArchitecture;
}

const DECLARE_ARM64_FIX =
    'set "runtimePlatform": { "cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX" } in containerProperties';

/**
 * Advisory: without `runtimePlatform.cpuArchitecture` a Fargate job runs on X86_64 without a word. Advisory because
 * x86 is allowed; with `requireGraviton` the mandatory batch-job-definition-graviton reports it instead.
 */
export const batchJobDefinitionDeclaresArchitecture: ResourceValidationPolicy = {
    name: "batch-job-definition-declares-architecture",
    description:
        "Reports AWS Batch Fargate job definitions that do not set runtimePlatform.cpuArchitecture (unset means X86_64).",
    enforcementLevel: "advisory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const architecture = notApplicableUnlessFargateJob(args);
        const subject = `Batch job definition "${args.name}"`;
        if (architecture.kind === "default" && !requireGraviton(args.getConfig<NodeGroupPolicyConfig>())) {
            reportViolation(
                violationMessage({
                    subject,
                    found: "platformCapabilities includes FARGATE but containerProperties.runtimePlatform.cpuArchitecture is unset, so Batch runs the job on X86_64",
                    required: `runtimePlatform.cpuArchitecture set to one of ${ECS_CPU_ARCHITECTURES.join(", ")}`,
                    fix: `${DECLARE_ARM64_FIX} (or "X86_64" for an amd64-only image)`,
                }),
            );
        }
        if (architecture.kind === "unverifiable") {
            reportViolation(
                violationMessage({
                    subject,
                    found: `its architecture cannot be verified: ${architecture.reason}`,
                    required: `runtimePlatform.cpuArchitecture set to one of ${ECS_CPU_ARCHITECTURES.join(", ")} in containerProperties`,
                    fix: DECLARE_ARM64_FIX,
                }),
            );
        }
    },
};

/** Mandatory with `requireGraviton` (and silent without it): a Fargate job on X86_64, declared or by default. */
export const batchJobDefinitionGraviton: ResourceValidationPolicy = {
    name: "batch-job-definition-graviton",
    description: "With requireGraviton, AWS Batch Fargate job definitions must run on ARM64 (unset means X86_64).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const architecture = notApplicableUnlessFargateJob(args);
        const config = args.getConfig<NodeGroupPolicyConfig>();
        if (!requireGraviton(config) || exemptionFor(config, args.name)) {
            return;
        }
        const found =
            architecture.kind === "default"
                ? "containerProperties.runtimePlatform.cpuArchitecture is unset, so Batch runs the job on X86_64"
                : architecture.kind === "declared" && architecture.cpuArchitecture === "X86_64"
                  ? "containerProperties.runtimePlatform.cpuArchitecture is X86_64"
                  : undefined;
        if (found === undefined) {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `Batch job definition "${args.name}"`,
                found,
                required: "requireGraviton is set, so every Fargate job must run on ARM64",
                fix: `${DECLARE_ARM64_FIX} and push an arm64 image; ${EXEMPTION_HINT}`,
            }),
        );
    },
};
