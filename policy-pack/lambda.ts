// Lambda functions must run on arm64 (Graviton).

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { LAMBDA_DEFAULT_ARCHITECTURE } from "./graviton";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_ONLY_CONFIG_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import { LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION } from "./resourceTypes";
import { knownOrDeferToEngine, readPath } from "./unknowns";

function describeArchitectures(architectures: unknown): string {
    if (architectures === undefined || architectures === null) {
        // Lambda developer guide: `architectures` defaults to ["x86_64"] (docs/platform-facts.md, "AWS Lambda").
        return `architectures is unset, so Lambda runs the function on ${LAMBDA_DEFAULT_ARCHITECTURE}`;
    }
    const shown = JSON.stringify(architectures);
    if (Array.isArray(architectures) && architectures.length > 1) {
        return `architectures is ${shown}, but Lambda accepts exactly one architecture`;
    }
    return `architectures is ${shown}`;
}

/**
 * Mandatory: arm64 costs about 20% less per GB-second than x86_64 (Lambda pricing, docs/platform-facts.md) and is
 * what this project builds the function image for; an x86_64 function given the arm64 image fails at invoke.
 */
export const lambdaArm64Only: ResourceValidationPolicy = {
    name: "lambda-arm64-only",
    description: 'Lambda functions must set architectures to exactly ["arm64"] (unset means x86_64).',
    enforcementLevel: "mandatory",
    configSchema: EXEMPTIONS_ONLY_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (args.type !== LAMBDA_FUNCTION && args.type !== NATIVE_LAMBDA_FUNCTION) {
            args.notApplicable(`Policy only applies to ${LAMBDA_FUNCTION} and ${NATIVE_LAMBDA_FUNCTION} resources`);
        }
        if (exemptionFor(args.getConfig<ExemptionsConfig>(), args.name)) {
            return;
        }
        // Both the classic and the aws-native function call the input `architectures`. An unknown value is
        // left to the engine, which reports it as advisory and runs this policy again during the update.
        const architectures = knownOrDeferToEngine(readPath(args.props, "architectures"));
        if (Array.isArray(architectures) && architectures.length === 1 && architectures[0] === "arm64") {
            return;
        }
        reportViolation(
            violationMessage({
                subject: `Lambda function "${args.name}"`,
                found: describeArchitectures(architectures),
                required: 'architectures must be exactly ["arm64"]',
                fix:
                    'set architectures: ["arm64"] and deploy an arm64 build (for a container image, the arm64 ' +
                    "single-platform digest <repo>@sha256:<arm64 digest>; for a zip, dependencies built for arm64); " +
                    EXEMPTION_HINT,
            }),
        );
    },
};
