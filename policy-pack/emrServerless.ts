// EMR Serverless applications and `requireGraviton`: an application declares its CPU architecture (ARM64 or X86_64),
// and nothing else in it has an architecture to compare against, so only requireGraviton gives a rule
// (docs/platform-facts.md, "Batch, CodeBuild and EMR Serverless architectures").

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ECS_CPU_ARCHITECTURES } from "./architecture";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import {
    EXEMPTIONS_SCHEMA,
    NodeGroupPolicyConfig,
    REQUIRE_GRAVITON_SCHEMA,
    exemptionFor,
    requireGraviton,
} from "./policyConfig";
import { EMR_SERVERLESS_APPLICATION, NATIVE_EMR_SERVERLESS_APPLICATION } from "./resourceTypes";
import { knownOrDeferToEngine, readPath } from "./unknowns";

const APPLICATION_TYPES: readonly string[] = [EMR_SERVERLESS_APPLICATION, NATIVE_EMR_SERVERLESS_APPLICATION];

// EMR Serverless API reference, Application `architecture`: valid values ARM64 | X86_64 (the same spelling as ECS).
const SET_ARM64_FIX = 'set architecture: "ARM64" and use jars, wheels and images built for arm64';

/** The application's `architecture` input; values not known during preview go to the engine's advisory. */
function readArchitecture(args: ResourceValidationArgs): unknown {
    if (!APPLICATION_TYPES.includes(args.type)) {
        args.notApplicable(`Policy only applies to ${APPLICATION_TYPES.join(" or ")} resources`);
    }
    return knownOrDeferToEngine(readPath(args.props, "architecture"));
}

/** Mandatory with `requireGraviton` (silent without it): an application that declares X86_64. */
export const emrServerlessApplicationGraviton: ResourceValidationPolicy = {
    name: "emr-serverless-application-graviton",
    description: "With requireGraviton, EMR Serverless applications must declare architecture ARM64.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const architecture = readArchitecture(args);
        const config = args.getConfig<NodeGroupPolicyConfig>();
        if (!requireGraviton(config) || exemptionFor(config, args.name) || architecture !== "X86_64") {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `EMR Serverless application "${args.name}"`,
                found: "architecture is X86_64",
                required: "requireGraviton is set, so every EMR Serverless application must run on ARM64",
                fix: `${SET_ARM64_FIX}; ${EXEMPTION_HINT}`,
            }),
        );
    },
};

/**
 * Advisory, with `requireGraviton`: an application without an architecture, or with one the pack does not know. The
 * aws provider documents X86_64 as the default, but no AWS page read for this pack states it, so this is not a
 * known conflict and is not blocked.
 */
export const emrServerlessApplicationArchitectureUnknown: ResourceValidationPolicy = {
    name: "emr-serverless-application-architecture-unknown",
    description:
        "With requireGraviton, reports EMR Serverless applications that do not declare ARM64 or X86_64 (the provider's default is X86_64).",
    enforcementLevel: "advisory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const architecture = readArchitecture(args);
        if (
            !requireGraviton(args.getConfig<NodeGroupPolicyConfig>()) ||
            (typeof architecture === "string" && (ECS_CPU_ARCHITECTURES as readonly string[]).includes(architecture))
        ) {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `EMR Serverless application "${args.name}"`,
                found:
                    architecture === undefined || architecture === null
                        ? "architecture is unset; the aws provider documents X86_64 as the default"
                        : `architecture is ${JSON.stringify(architecture)}, which is neither ARM64 nor X86_64`,
                required: "requireGraviton is set, so every EMR Serverless application must declare ARM64",
                fix: SET_ARM64_FIX,
            }),
        );
    },
};
