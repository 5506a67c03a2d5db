// ECS task definitions on Fargate must say which CPU architecture they run on; with `requireGraviton`, ARM64 on
// Fargate and on Managed Instances.

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ARCHITECTURES, ECS_CPU_ARCHITECTURES } from "./architecture";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_SCHEMA, ExemptionsConfig, exemptionFor, requireGraviton } from "./policyConfig";
import type { ConfigPropertySchema } from "./policyConfig";
import { ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION } from "./resourceTypes";
import { asStringArray, knownOrDeferToEngine, readPath } from "./unknowns";

/** The task definition types judged: the classic provider's and the aws-native (Cloud Control) one. */
const TASK_DEFINITION_TYPES: readonly string[] = [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION];

const ARM64 = ARCHITECTURES.arm64.ecs;

/** The config of `ecs-task-definition-declares-architecture`. */
export interface EcsTaskDefinitionPolicyConfig extends ExemptionsConfig {
    requireGraviton?: boolean;
}

const TASK_REQUIRE_GRAVITON_SCHEMA: ConfigPropertySchema = {
    type: "boolean",
    description:
        'When true, every Fargate and Managed Instances task definition must declare runtimePlatform.cpuArchitecture "ARM64".',
    default: false,
};

/** What the task definition's compatibilities and `cpuArchitecture` were found to be, when they fail the policy. */
function finding(compatibilities: readonly string[], cpuArchitecture: unknown, graviton: boolean): string | undefined {
    const fargate = compatibilities.includes("FARGATE");
    if (typeof cpuArchitecture === "string" && (ECS_CPU_ARCHITECTURES as readonly string[]).includes(cpuArchitecture)) {
        return graviton && cpuArchitecture !== ARM64
            ? `runtimePlatform.cpuArchitecture is ${JSON.stringify(cpuArchitecture)}`
            : undefined;
    }
    if (cpuArchitecture !== undefined && cpuArchitecture !== null) {
        return `runtimePlatform.cpuArchitecture is ${JSON.stringify(cpuArchitecture)}, which ECS does not accept`;
    }
    // Managed Instances run either architecture and no page found says which one an unset value gets (ECS API
    // reference, RuntimePlatform; docs/platform-facts.md, "ECS placement and architectures"): only Fargate's is known.
    if (!fargate) {
        return "requiresCompatibilities is MANAGED_INSTANCES and runtimePlatform.cpuArchitecture is unset, so nothing declares that its tasks run on ARM64";
    }
    return compatibilities.includes("MANAGED_INSTANCES")
        ? "requiresCompatibilities includes FARGATE and MANAGED_INSTANCES but runtimePlatform.cpuArchitecture is unset, " +
              "so the architecture depends on where ECS places each task, and on Fargate it is X86_64"
        : "requiresCompatibilities includes FARGATE but runtimePlatform.cpuArchitecture is unset, so Fargate runs the task on X86_64";
}

/**
 * Mandatory: without `runtimePlatform.cpuArchitecture` Fargate runs the task on X86_64 without a word, so an
 * "ARM" service silently is not one (and an arm64-only image fails with "exec format error"). The fix is one
 * line, and declaring X86_64 explicitly is allowed: the rule is about saying it, not about which one. With
 * `requireGraviton`, Fargate and Managed Instances task definitions must declare ARM64.
 */
export const ecsTaskDefinitionDeclaresArchitecture: ResourceValidationPolicy = {
    name: "ecs-task-definition-declares-architecture",
    description:
        "Fargate task definitions must set runtimePlatform.cpuArchitecture (unset silently means X86_64); with requireGraviton, Fargate and Managed Instances task definitions must set ARM64.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: TASK_REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!TASK_DEFINITION_TYPES.includes(args.type)) {
            args.notApplicable(`Policy only applies to ${TASK_DEFINITION_TYPES.join(" and ")} resources`);
        }
        const config = args.getConfig<EcsTaskDefinitionPolicyConfig>();
        const graviton = requireGraviton(config);
        const compatibilities =
            asStringArray(knownOrDeferToEngine(readPath(args.props, "requiresCompatibilities"))) ?? [];
        if (!compatibilities.includes("FARGATE") && !(graviton && compatibilities.includes("MANAGED_INSTANCES"))) {
            args.notApplicable(
                graviton
                    ? "The task definition requires neither FARGATE nor MANAGED_INSTANCES"
                    : "The task definition does not require FARGATE",
            );
        }
        if (exemptionFor(config, args.name)) {
            return;
        }
        const cpuArchitecture = knownOrDeferToEngine(readPath(args.props, "runtimePlatform", "cpuArchitecture"));
        const found = finding(compatibilities, cpuArchitecture, graviton);
        if (found === undefined) {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `ECS task definition "${args.name}"`,
                found,
                required: graviton
                    ? `requireGraviton is set, so every Fargate and Managed Instances task definition must declare runtimePlatform.cpuArchitecture "${ARM64}"`
                    : `runtimePlatform.cpuArchitecture set to one of ${ECS_CPU_ARCHITECTURES.join(", ")}`,
                fix: graviton
                    ? `set runtimePlatform: { cpuArchitecture: "${ARM64}", operatingSystemFamily: "LINUX" } and run an image ` +
                      `that includes linux/arm64; ${EXEMPTION_HINT}`
                    : `set runtimePlatform: { cpuArchitecture: "${ARM64}", operatingSystemFamily: "LINUX" } ` +
                      `(or "X86_64" for an amd64-only image); ${EXEMPTION_HINT}`,
            }),
        );
    },
};
