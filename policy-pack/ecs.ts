// ECS task definitions on Fargate must say which CPU architecture they run on.

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ECS_CPU_ARCHITECTURES } from "./architecture";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_ONLY_CONFIG_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import { ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION } from "./resourceTypes";
import { asStringArray, knownOrDeferToEngine, readPath } from "./unknowns";

/** The task definition types judged: the classic provider's and the aws-native (Cloud Control) one. */
const TASK_DEFINITION_TYPES: readonly string[] = [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION];

/**
 * Mandatory: without `runtimePlatform.cpuArchitecture` Fargate runs the task on X86_64 without a word, so an
 * "ARM" service silently is not one (and an arm64-only image fails with "exec format error"). The fix is one
 * line, and declaring X86_64 explicitly is allowed: the rule is about saying it, not about which one.
 */
export const ecsTaskDefinitionDeclaresArchitecture: ResourceValidationPolicy = {
    name: "ecs-task-definition-declares-architecture",
    description: "Fargate task definitions must set runtimePlatform.cpuArchitecture (unset silently means X86_64).",
    enforcementLevel: "mandatory",
    configSchema: EXEMPTIONS_ONLY_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!TASK_DEFINITION_TYPES.includes(args.type)) {
            args.notApplicable(`Policy only applies to ${TASK_DEFINITION_TYPES.join(" and ")} resources`);
        }
        const compatibilities =
            asStringArray(knownOrDeferToEngine(readPath(args.props, "requiresCompatibilities"))) ?? [];
        if (!compatibilities.includes("FARGATE")) {
            args.notApplicable("The task definition does not require FARGATE");
        }
        if (exemptionFor(args.getConfig<ExemptionsConfig>(), args.name)) {
            return;
        }
        const cpuArchitecture = knownOrDeferToEngine(readPath(args.props, "runtimePlatform", "cpuArchitecture"));
        if (
            typeof cpuArchitecture === "string" &&
            (ECS_CPU_ARCHITECTURES as readonly string[]).includes(cpuArchitecture)
        ) {
            return;
        }
        // Managed Instances run either architecture (ECS API reference, RuntimePlatform): only Fargate's default is known.
        const alsoManaged = compatibilities.includes("MANAGED_INSTANCES");
        const found =
            cpuArchitecture === undefined || cpuArchitecture === null
                ? alsoManaged
                    ? "requiresCompatibilities includes FARGATE and MANAGED_INSTANCES but runtimePlatform.cpuArchitecture is unset, " +
                      "so the architecture depends on where ECS places each task, and on Fargate it is X86_64"
                    : "requiresCompatibilities includes FARGATE but runtimePlatform.cpuArchitecture is unset, so Fargate runs the task on X86_64"
                : `runtimePlatform.cpuArchitecture is ${JSON.stringify(cpuArchitecture)}, which ECS does not accept`;
        reportViolation(
            violationMessage({
                subject: `ECS task definition "${args.name}"`,
                found,
                required: `runtimePlatform.cpuArchitecture set to one of ${ECS_CPU_ARCHITECTURES.join(", ")}`,
                fix:
                    'set runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" } ' +
                    `(or "X86_64" for an amd64-only image); ${EXEMPTION_HINT}`,
            }),
        );
    },
};
