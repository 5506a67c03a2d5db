// Lambda Managed Instances: a function bound to a capacity provider runs on the EC2 instances that provider
// launches, so the function's architecture must be the one the provider's instance requirements select
// (docs/platform-facts.md, "Lambda Managed Instances").
//
// Stack policies, because the function and its capacity provider are two resources; the function names the provider
// by ARN, matched in the stack as lambdaArtifacts.ts matches layers (by value, or at preview through the engine's
// property dependencies).

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ARCHITECTURES, CPU_ARCHITECTURES, CpuArchitecture } from "./architecture";
import { architecturesOf } from "./graviton";
import { functionArchitecture } from "./lambdaArtifacts";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import {
    ConfigPropertySchema,
    EXEMPTIONS_SCHEMA,
    NodeGroupPolicyConfig,
    exemptionFor,
    requireGraviton,
} from "./policyConfig";
import {
    LAMBDA_CAPACITY_PROVIDER,
    LAMBDA_FUNCTION,
    NATIVE_LAMBDA_CAPACITY_PROVIDER,
    NATIVE_LAMBDA_FUNCTION,
} from "./resourceTypes";
import { asString, asStringArray, readPath } from "./unknowns";

const FUNCTION_TYPES: readonly string[] = [LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION];
const PROVIDER_TYPES: readonly string[] = [LAMBDA_CAPACITY_PROVIDER, NATIVE_LAMBDA_CAPACITY_PROVIDER];

// Both tokens spell the binding the same way (CloudFormation `CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig`).
const BINDING = "capacityProviderConfig";
const ARN_PATH = [BINDING, "lambdaManagedInstancesCapacityProviderConfig", "capacityProviderArn"];

const REQUIRE_GRAVITON_SCHEMA: ConfigPropertySchema = {
    type: "boolean",
    description:
        'When true, every Lambda capacity provider must launch arm64 (Graviton) instances: instanceRequirements.architectures ["arm64"].',
    default: false,
};

/** What a capacity provider's instance requirements select. */
export type ProviderArchitecture =
    | {
          known: true;
          arch: CpuArchitecture;
          /** Where the architecture was read, for messages. */
          source: string;
          /** Allowed instance types that cannot run `arch`. */
          conflicting: string[];
      }
    | { known: false; reason: string };

/** The instance requirements' path on each token: a one-item list on aws, an object on aws-native. */
function requirementsPath(provider: PolicyResource): (string | number)[] {
    return provider.type === LAMBDA_CAPACITY_PROVIDER ? ["instanceRequirements", 0] : ["instanceRequirements"];
}

/** The Linux architectures an instance type name can run, or undefined when the pack's data does not know it. */
function linuxArchitectures(instanceType: string): CpuArchitecture[] | undefined {
    const archs = architecturesOf(instanceType);
    return archs === undefined ? undefined : CPU_ARCHITECTURES.filter((arch) => archs.includes(arch));
}

/**
 * The architecture a capacity provider launches: its `architectures` (one value). Unset is unknown: the Lambda API and
 * CloudFormation references give no default, only AWS SAM documents x86_64, and the aws provider requires the field
 * whenever the block is set, so the block is unset and its planned unknown (Optional+Computed, no property
 * dependency) becomes the value Lambda reports once the provider exists. Allowed instance types do not choose it
 * either: no reference says Lambda derives the architecture from them (docs/platform-facts.md, "Lambda Managed
 * Instances").
 */
export function providerArchitecture(provider: PolicyResource): ProviderArchitecture {
    const whole = readPath(provider.props, "instanceRequirements");
    const unset = {
        known: false as const,
        reason: `capacity provider "${provider.name}" sets no instanceRequirements.architectures, and no Lambda or CloudFormation reference gives the architecture it then launches`,
    };
    if (!whole.known) {
        return (provider.propertyDependencies["instanceRequirements"] ?? []).length > 0
            ? {
                  known: false,
                  reason: `capacity provider "${provider.name}" has instanceRequirements not known until the update runs`,
              }
            : unset;
    }
    const base = requirementsPath(provider);
    const declared = readPath(provider.props, ...base, "architectures");
    if (!declared.known) {
        return {
            known: false,
            reason: `capacity provider "${provider.name}" has architectures not known until the update runs`,
        };
    }
    const declaredList = asStringArray(declared.value) ?? [];
    if (declaredList.length === 0) {
        return unset;
    }
    const arch = CPU_ARCHITECTURES.find((candidate) => ARCHITECTURES[candidate].lambda === declaredList[0]);
    if (declaredList.length !== 1 || arch === undefined) {
        return {
            known: false,
            reason: `capacity provider "${provider.name}" has architectures ${JSON.stringify(declaredList)}, not one of "x86_64" or "arm64"`,
        };
    }
    const allowed = readPath(provider.props, ...base, "allowedInstanceTypes");
    const conflicting = (allowed.known ? (asStringArray(allowed.value) ?? []) : []).filter((type) => {
        const archs = linuxArchitectures(type);
        return archs !== undefined && !archs.includes(arch);
    });
    return {
        known: true,
        arch,
        source: `instanceRequirements.architectures ${JSON.stringify(declaredList)}`,
        conflicting,
    };
}

/** What the check found for one function. */
export type CapacityVerdict =
    | { kind: "not-applicable" }
    | { kind: "match" }
    | { kind: "mismatch"; found: string; fix: string }
    | { kind: "unknown"; reason: string };

/** The capacity providers of the stack a function is bound to, or why none can be found. */
function boundProviders(
    fn: PolicyResource,
    stack: readonly PolicyResource[],
): PolicyResource[] | "not-bound" | { reason: string } {
    const binding = readPath(fn.props, BINDING);
    if (binding.known && (binding.value === undefined || binding.value === null)) {
        return "not-bound";
    }
    const arn = readPath(fn.props, ...ARN_PATH);
    if (!arn.known || !binding.known) {
        // The engine records which resources the ARN was computed from (a new capacity provider's `arn`).
        const traced = (fn.propertyDependencies[BINDING] ?? []).filter((dep) => PROVIDER_TYPES.includes(dep.type));
        return traced.length > 0
            ? traced
            : {
                  reason: "its capacity provider ARN is not known until the update runs and comes from no capacity provider of this stack",
              };
    }
    const value = asString(arn.value);
    if (value === undefined || value === "") {
        return "not-bound";
    }
    const found = stack.filter((resource) => {
        if (!PROVIDER_TYPES.includes(resource.type)) {
            return false;
        }
        const candidate = readPath(resource.props, "arn");
        return candidate.known && candidate.value === value;
    });
    return found.length > 0 ? found : { reason: `capacity provider ${value} is not a capacity provider of this stack` };
}

/** The verdict on a function's capacity provider. */
export function capacityProviderVerdict(fn: PolicyResource, stack: readonly PolicyResource[]): CapacityVerdict {
    const providers = boundProviders(fn, stack);
    if (providers === "not-bound") {
        return { kind: "not-applicable" };
    }
    if ("reason" in providers) {
        return { kind: "unknown", reason: providers.reason };
    }
    const fnArch = functionArchitecture(fn);
    if (!fnArch.known) {
        return { kind: "unknown", reason: fnArch.reason };
    }
    const readings = providers.map((provider) => ({ provider, reading: providerArchitecture(provider) }));
    const unknown = readings.flatMap(({ reading }) => (reading.known ? [] : [reading.reason]));
    if (unknown.length > 0) {
        return { kind: "unknown", reason: unknown.join("; ") };
    }
    const other = readings.find(({ reading }) => reading.known && reading.arch !== fnArch.arch);
    if (other === undefined || !other.reading.known) {
        return { kind: "match" };
    }
    const { arch, source } = other.reading;
    return {
        kind: "mismatch",
        found: `it runs on ${fnArch.arch}, but its capacity provider "${other.provider.name}" launches ${arch} instances (${source})`,
        fix:
            `set the function's architectures to ["${arch}"] (with code built for ${arch}), or bind it to a capacity provider ` +
            `whose instanceRequirements.architectures is ["${fnArch.arch}"]`,
    };
}

function functionsOf(args: StackValidationArgs): PolicyResource[] {
    const functions = args.resources.filter(
        (resource) =>
            FUNCTION_TYPES.includes(resource.type) &&
            capacityProviderVerdict(resource, args.resources).kind !== "not-applicable",
    );
    const providers = args.resources.filter((resource) => PROVIDER_TYPES.includes(resource.type));
    if (functions.length === 0 && providers.length === 0) {
        args.notApplicable(
            `Policy only applies to stacks with ${PROVIDER_TYPES.join(" or ")} resources or functions bound to one`,
        );
    }
    return functions;
}

/** The config of `lambda-capacity-provider-architecture-match`. */
type CapacityProviderPolicyConfig = NodeGroupPolicyConfig;

/**
 * Mandatory: the function's architecture and the instances its capacity provider launches are both known and differ,
 * or a provider allows instance types that cannot run its own architecture. With `requireGraviton`, a provider that
 * launches x86_64 instances is rejected too.
 */
export const lambdaCapacityProviderArchitectureMatch: StackValidationPolicy = {
    name: "lambda-capacity-provider-architecture-match",
    description:
        "Lambda functions on Lambda Managed Instances must have the architecture their capacity provider's instances run.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<CapacityProviderPolicyConfig>();
        for (const fn of functionsOf(args)) {
            const verdict = capacityProviderVerdict(fn, args.resources);
            if (verdict.kind !== "mismatch" || exemptionFor(config, fn.name)) {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject: `Lambda function "${fn.name}"`,
                    found: verdict.found,
                    required:
                        "a function on Lambda Managed Instances must have the architecture of its capacity provider's instances",
                    fix: `${verdict.fix}; ${EXEMPTION_HINT}`,
                }),
                fn.urn,
            );
        }
        for (const provider of args.resources.filter((resource) => PROVIDER_TYPES.includes(resource.type))) {
            const reading = providerArchitecture(provider);
            if (!reading.known || exemptionFor(config, provider.name)) {
                continue;
            }
            const subject = `Lambda capacity provider "${provider.name}"`;
            if (reading.conflicting.length > 0) {
                reportViolation(
                    violationMessage({
                        subject,
                        found: `its allowedInstanceTypes ${reading.conflicting.join(", ")} cannot run ${reading.arch}, which its ${reading.source} selects`,
                        required: "every allowed instance type must run the capacity provider's architecture",
                        fix: `remove those types or replace them with ${reading.arch} ones; ${EXEMPTION_HINT}`,
                    }),
                    provider.urn,
                );
            } else if (requireGraviton(config) && reading.arch === "x86_64") {
                reportViolation(
                    violationMessage({
                        subject,
                        found: `it launches x86_64 instances (${reading.source})`,
                        required:
                            "requireGraviton is set, so every Lambda capacity provider must launch arm64 (Graviton) instances",
                        fix:
                            `set instanceRequirements.architectures to ["arm64"] (and allowedInstanceTypes, if any, to Graviton types) ` +
                            `and the functions bound to it to arm64; ${EXEMPTION_HINT}`,
                    }),
                    provider.urn,
                );
            }
        }
    },
};

/** The config of `lambda-capacity-provider-architecture-unknown`. */
type UnknownPolicyConfig = Pick<NodeGroupPolicyConfig, "requireGraviton">;

/**
 * Advisory: a function whose capacity provider is outside the stack or cannot be read yet, and (with
 * `requireGraviton`) a capacity provider whose architecture cannot be read; never a silent pass.
 */
export const lambdaCapacityProviderArchitectureUnknown: StackValidationPolicy = {
    name: "lambda-capacity-provider-architecture-unknown",
    description:
        "Reports Lambda functions whose capacity provider's architecture cannot be compared with theirs (outside the stack, unknown, not set).",
    enforcementLevel: "advisory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const fn of functionsOf(args)) {
            const verdict = capacityProviderVerdict(fn, args.resources);
            if (verdict.kind !== "unknown") {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject: `Lambda function "${fn.name}"`,
                    found: `the architecture of its capacity provider cannot be compared with the function's: ${verdict.reason}`,
                    required:
                        "a capacity provider of this stack whose instanceRequirements lambda-capacity-provider-architecture-match can read",
                    fix:
                        "create the capacity provider in this stack with instanceRequirements.architectures set; otherwise check by hand " +
                        "that its instances run the function's architecture",
                }),
                fn.urn,
            );
        }
        if (!requireGraviton(args.getConfig<UnknownPolicyConfig>())) {
            return;
        }
        for (const provider of args.resources.filter((resource) => PROVIDER_TYPES.includes(resource.type))) {
            const reading = providerArchitecture(provider);
            if (reading.known) {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject: `Lambda capacity provider "${provider.name}"`,
                    found: `its architecture cannot be read: ${reading.reason}`,
                    required: "requireGraviton is set, so every Lambda capacity provider must declare arm64",
                    fix: 'set instanceRequirements.architectures to ["arm64"]',
                }),
                provider.urn,
            );
        }
    },
};
