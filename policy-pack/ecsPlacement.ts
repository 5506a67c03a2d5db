// ECS services: the architecture a task definition declares against the EC2 capacity its service is placed on.
//
// Stack policies, because the verdict joins four resources (service, task definition, capacity provider, Auto
// Scaling group and its launch template), which only a stack policy sees together. The AWS facts they rest on are
// in docs/platform-facts.md, "ECS placement and architectures".

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ARCHITECTURES, CPU_ARCHITECTURES, ECS_CPU_ARCHITECTURES, EcsCpuArchitecture, fromEcs } from "./architecture";
import type { CpuArchitecture } from "./architecture";
import { architecturesOf } from "./graviton";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { ConfigPropertySchema, EXEMPTIONS_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import {
    AUTOSCALING_GROUP,
    EC2_LAUNCH_TEMPLATE,
    ECS_CAPACITY_PROVIDER,
    ECS_SERVICE,
    ECS_TASK_DEFINITION,
    NATIVE_ECS_CAPACITY_PROVIDER,
    NATIVE_ECS_SERVICE,
    NATIVE_ECS_TASK_DEFINITION,
} from "./resourceTypes";
import { Known, asString, readPath } from "./unknowns";

const SERVICE_TYPES: readonly string[] = [ECS_SERVICE, NATIVE_ECS_SERVICE];
const TASK_DEFINITION_TYPES: readonly string[] = [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION];
const CAPACITY_PROVIDER_TYPES: readonly string[] = [ECS_CAPACITY_PROVIDER, NATIVE_ECS_CAPACITY_PROVIDER];

/** Fargate's capacity providers take X86_64 and ARM64 tasks (ECS API reference, CapacityProviderStrategyItem). */
export const FARGATE_CAPACITY_PROVIDERS: readonly string[] = ["FARGATE", "FARGATE_SPOT"];

/** The config of `ecs-service-capacity-architecture-match`. */
export interface EcsPlacementPolicyConfig extends ExemptionsConfig {
    requireGraviton?: boolean;
}

const ECS_REQUIRE_GRAVITON_SCHEMA: ConfigPropertySchema = {
    type: "boolean",
    description:
        "When true, an ECS service must not be placed on an EC2 capacity provider whose Auto Scaling group launches x86_64 instance types.",
    default: false,
};

/** What one strategy entry's capacity was found to be. */
type CapacityReading =
    | { kind: "fargate" }
    | { kind: "ec2"; provider: string; instanceTypes: readonly string[] }
    | { kind: "unknown"; provider: string; reason: string };

/** The verdict on one service. */
export type ServicePlacementVerdict =
    | { kind: "ok" }
    | { kind: "not-judged" }
    | { kind: "mismatch"; found: string; fix: string }
    | { kind: "undetermined"; reason: string };

export interface ServicePlacementAssessment {
    resource: PolicyResource;
    verdict: ServicePlacementVerdict;
    /** Known x86_64-only instance types of EC2 capacity the service names, for requireGraviton. */
    x86Capacity: { provider: string; instanceTypes: string[] }[];
}

/** A field of a value already read in full (a plain copy, so nothing in it is unknown). */
function field(root: unknown, ...path: string[]): unknown {
    const value = readPath(root, ...path);
    return value.known ? value.value : undefined;
}

function knownString(value: Known<unknown>): string | undefined {
    return value.known ? asString(value.value) : undefined;
}

function dependencySources(resource: PolicyResource, property: string, types: readonly string[]): PolicyResource[] {
    return (resource.propertyDependencies[property] ?? []).filter((source) => types.includes(source.type));
}

/**
 * The task definition a service runs: matched by ARN (with or without revision), by `family` or `family:revision`,
 * or, when the reference is not known yet (a first preview), by the engine's record of where it came from.
 */
function findTaskDefinition(service: PolicyResource, stack: readonly PolicyResource[]): PolicyResource | undefined {
    const wanted = readPath(service.props, "taskDefinition");
    const reference = knownString(wanted);
    const definitions = stack.filter((resource) => TASK_DEFINITION_TYPES.includes(resource.type));
    if (reference !== undefined && reference !== "") {
        const found = definitions.find((definition) => {
            const family = knownString(readPath(definition.props, "family"));
            const revision = readPath(definition.props, "revision");
            const candidates = [
                knownString(readPath(definition.props, "arn")),
                knownString(readPath(definition.props, "arnWithoutRevision")),
                knownString(readPath(definition.props, "taskDefinitionArn")),
                family,
                family !== undefined && revision.known && revision.value !== undefined
                    ? `${family}:${String(revision.value)}`
                    : undefined,
            ];
            return candidates.some((candidate) => candidate !== undefined && candidate === reference);
        });
        if (found) {
            return found;
        }
    }
    const sources = dependencySources(service, "taskDefinition", TASK_DEFINITION_TYPES);
    return sources.length === 1 ? sources[0] : undefined;
}

/** The launch template an Auto Scaling group (or its mixed instances policy) names, when it is in the stack. */
function findLaunchTemplate(
    group: PolicyResource,
    stack: readonly PolicyResource[],
    id: string | undefined,
    name: string | undefined,
    property: string,
): PolicyResource | undefined {
    const templates = stack.filter((resource) => resource.type === EC2_LAUNCH_TEMPLATE);
    const byReference = templates.find(
        (template) =>
            (id !== undefined && knownString(readPath(template.props, "id")) === id) ||
            (name !== undefined && knownString(readPath(template.props, "name")) === name),
    );
    if (byReference) {
        return byReference;
    }
    const sources = dependencySources(group, property, [EC2_LAUNCH_TEMPLATE]);
    return sources.length === 1 ? sources[0] : undefined;
}

/** The instance types an in-stack Auto Scaling group launches, or why they cannot be read. */
function groupInstanceTypes(
    group: PolicyResource,
    stack: readonly PolicyResource[],
): { instanceTypes: string[] } | { reason: string } {
    const subject = `Auto Scaling group "${group.name}"`;
    const mixed = ["mixedInstancesPolicy", "launchTemplate"];
    const overrides = readPath(group.props, ...mixed, "overrides");
    if (!overrides.known) {
        return { reason: `${subject} mixedInstancesPolicy overrides are not known until the update runs` };
    }
    const list = Array.isArray(overrides.value) ? overrides.value : [];
    if (list.some((override) => field(override, "instanceRequirements") !== undefined)) {
        return { reason: `${subject} selects instance types by attributes (instanceRequirements)` };
    }
    const types = list.map((override) => asString(field(override, "instanceType")));
    if (types.length > 0 && types.every((type): type is string => type !== undefined && type !== "")) {
        return { instanceTypes: types };
    }
    if (types.length > 0) {
        return { reason: `${subject} has a mixed instances override without an instanceType` };
    }
    const specification = readPath(group.props, ...mixed, "launchTemplateSpecification");
    if (!specification.known || (specification.value !== undefined && specification.value !== null)) {
        // An id not known yet (a first preview) is matched through the engine's record of its source.
        return templateInstanceTypes(
            group,
            stack,
            knownString(readPath(group.props, ...mixed, "launchTemplateSpecification", "launchTemplateId")),
            knownString(readPath(group.props, ...mixed, "launchTemplateSpecification", "launchTemplateName")),
            "mixedInstancesPolicy",
        );
    }
    const template = readPath(group.props, "launchTemplate");
    if (!template.known || (template.value !== undefined && template.value !== null)) {
        return templateInstanceTypes(
            group,
            stack,
            knownString(readPath(group.props, "launchTemplate", "id")),
            knownString(readPath(group.props, "launchTemplate", "name")),
            "launchTemplate",
        );
    }
    return { reason: `${subject} names no launch template in this stack (a launch configuration is not read)` };
}

function templateInstanceTypes(
    group: PolicyResource,
    stack: readonly PolicyResource[],
    id: string | undefined,
    name: string | undefined,
    property: string,
): { instanceTypes: string[] } | { reason: string } {
    const template = findLaunchTemplate(group, stack, id, name, property);
    if (template === undefined) {
        return { reason: `the launch template of Auto Scaling group "${group.name}" is not in this stack` };
    }
    const instanceType = readPath(template.props, "instanceType");
    if (!instanceType.known) {
        return { reason: `launch template "${template.name}" instanceType is not known until the update runs` };
    }
    const value = asString(instanceType.value);
    return value === undefined || value === ""
        ? { reason: `launch template "${template.name}" sets no instanceType` }
        : { instanceTypes: [value] };
}

/** What one capacity provider of the stack places tasks on. */
function readCapacityProvider(provider: PolicyResource, stack: readonly PolicyResource[]): CapacityReading {
    const label = provider.name;
    // Managed Instances choose instance types themselves (ECS API reference, CreateCapacityProvider): not read here.
    const managed = readPath(provider.props, "managedInstancesProvider");
    if (!managed.known || (managed.value !== undefined && managed.value !== null)) {
        return {
            kind: "unknown",
            provider: label,
            reason: `capacity provider "${label}" uses ECS Managed Instances, whose instance choice this policy does not read`,
        };
    }
    const arn = readPath(provider.props, "autoScalingGroupProvider", "autoScalingGroupArn");
    const reference = knownString(arn);
    const groups = stack.filter((resource) => resource.type === AUTOSCALING_GROUP);
    const group =
        (reference !== undefined
            ? groups.find(
                  (candidate) =>
                      knownString(readPath(candidate.props, "arn")) === reference ||
                      knownString(readPath(candidate.props, "name")) === reference,
              )
            : undefined) ??
        (() => {
            const sources = dependencySources(provider, "autoScalingGroupProvider", [AUTOSCALING_GROUP]);
            return sources.length === 1 ? sources[0] : undefined;
        })();
    if (group === undefined) {
        return {
            kind: "unknown",
            provider: label,
            reason: `the Auto Scaling group of capacity provider "${label}" is not an ${AUTOSCALING_GROUP} in this stack`,
        };
    }
    const types = groupInstanceTypes(group, stack);
    return "reason" in types
        ? { kind: "unknown", provider: label, reason: types.reason }
        : { kind: "ec2", provider: label, instanceTypes: types.instanceTypes };
}

/** Each entry of a service's capacity provider strategy, read; undefined when the service names none. */
function readStrategy(service: PolicyResource, stack: readonly PolicyResource[]): CapacityReading[] | undefined {
    const property = service.type === NATIVE_ECS_SERVICE ? "capacityProviderStrategy" : "capacityProviderStrategies";
    const strategy = readPath(service.props, property);
    if (!strategy.known) {
        return [{ kind: "unknown", provider: "?", reason: `service ${property} is not known until the update runs` }];
    }
    if (!Array.isArray(strategy.value) || strategy.value.length === 0) {
        return undefined;
    }
    const providers = stack.filter((resource) => CAPACITY_PROVIDER_TYPES.includes(resource.type));
    const named = strategy.value.map((item) => asString(field(item, "capacityProvider")));
    const byName = (name: string) =>
        providers.find((provider) => knownString(readPath(provider.props, "name")) === name);
    // Entries whose name came from a provider's output (a first preview) are matched through the engine's record.
    const unmatched = dependencySources(service, property, CAPACITY_PROVIDER_TYPES).filter(
        (provider) => !named.some((name) => name !== undefined && byName(name) === provider),
    );
    const unnamed = named.filter((name) => name === undefined).length;
    const readings: CapacityReading[] = [];
    for (const name of named) {
        if (name === undefined) {
            continue;
        }
        if (FARGATE_CAPACITY_PROVIDERS.includes(name)) {
            readings.push({ kind: "fargate" });
            continue;
        }
        const provider = byName(name);
        readings.push(
            provider
                ? readCapacityProvider(provider, stack)
                : { kind: "unknown", provider: name, reason: `capacity provider "${name}" is not in this stack` },
        );
    }
    if (unnamed > 0 && unmatched.length === unnamed) {
        readings.push(...unmatched.map((provider) => readCapacityProvider(provider, stack)));
    } else if (unnamed > 0) {
        readings.push({
            kind: "unknown",
            provider: "?",
            reason: "a capacity provider name in the service's strategy is not known until the update runs",
        });
    }
    return readings;
}

/** The CPU architectures an instance type runs Linux on (i386-capable types run x86_64 too); [] when unrecognised. */
function linuxArchitectures(instanceType: string): CpuArchitecture[] {
    const architectures = architecturesOf(instanceType) ?? [];
    return CPU_ARCHITECTURES.filter((arch) => architectures.includes(arch));
}

function x86Only(instanceTypes: readonly string[]): string[] {
    return instanceTypes.filter((type) => {
        const archs = linuxArchitectures(type);
        return archs.length === 1 && archs[0] === "x86_64";
    });
}

/** The task definition's declared architecture: the ECS spelling, or a reason it cannot be read. */
function declaredArchitecture(definition: PolicyResource): { ecs?: EcsCpuArchitecture } | { reason: string } {
    const value = readPath(definition.props, "runtimePlatform", "cpuArchitecture");
    if (!value.known) {
        return {
            reason: `task definition "${definition.name}" runtimePlatform.cpuArchitecture is not known until the update runs`,
        };
    }
    const ecs = asString(value.value);
    return ecs !== undefined && (ECS_CPU_ARCHITECTURES as readonly string[]).includes(ecs)
        ? { ecs: ecs as EcsCpuArchitecture }
        : {};
}

/** The verdict for every ECS service in the stack. */
export function assessServicePlacements(stack: readonly PolicyResource[]): ServicePlacementAssessment[] {
    return stack
        .filter((resource) => SERVICE_TYPES.includes(resource.type))
        .map((resource) => {
            const readings = readStrategy(resource, stack) ?? [];
            const ec2 = readings.filter((reading) => reading.kind === "ec2");
            const unknown = readings.filter((reading) => reading.kind === "unknown");
            const x86Capacity = ec2
                .map((reading) => ({ provider: reading.provider, instanceTypes: x86Only(reading.instanceTypes) }))
                .filter((entry) => entry.instanceTypes.length > 0);
            if (ec2.length === 0 && unknown.length === 0) {
                // No strategy, or Fargate only: Fargate runs both architectures.
                return { resource, verdict: { kind: "not-judged" }, x86Capacity };
            }
            const definition = findTaskDefinition(resource, stack);
            if (definition === undefined) {
                return {
                    resource,
                    verdict: {
                        kind: "undetermined",
                        reason: "its task definition is not in this stack, so the architecture it declares cannot be read",
                    },
                    x86Capacity,
                };
            }
            const declared = declaredArchitecture(definition);
            if ("reason" in declared) {
                return { resource, verdict: { kind: "undetermined", reason: declared.reason }, x86Capacity };
            }
            if (declared.ecs === undefined) {
                // No declared architecture: nothing for the capacity to conflict with.
                return { resource, verdict: { kind: "not-judged" }, x86Capacity };
            }
            const wanted = fromEcs(declared.ecs);
            for (const reading of ec2) {
                const archs = reading.instanceTypes.map(linuxArchitectures);
                const allKnown = archs.every((list) => list.length > 0);
                const anyMatches = archs.some((list) => list.includes(wanted));
                // A task no instance can take stays PENDING (ECS Developer Guide, "How Amazon ECS places tasks"; platform-facts).
                if (allKnown && !anyMatches) {
                    const other = wanted === "arm64" ? "x86_64" : "arm64";
                    return {
                        resource,
                        verdict: {
                            kind: "mismatch",
                            found:
                                `task definition "${definition.name}" declares ${declared.ecs} but capacity provider ` +
                                `"${reading.provider}" launches ${other} instance types (${reading.instanceTypes.join(", ")}), ` +
                                "so ECS finds no instance to place those tasks on and they stay PENDING",
                            fix:
                                wanted === "arm64"
                                    ? `give the capacity provider's Auto Scaling group Graviton instance types (for example m7g.large) with an arm64 ECS-optimized AMI, or use FARGATE or FARGATE_SPOT`
                                    : `declare cpuArchitecture ${ARCHITECTURES.arm64.ecs} on the task definition (with an arm64 image), or name an x86_64 capacity provider, FARGATE or FARGATE_SPOT`,
                        },
                        x86Capacity,
                    };
                }
                if (!anyMatches) {
                    const unrecognised = reading.instanceTypes.filter((_, index) => archs[index].length === 0);
                    unknown.push({
                        kind: "unknown",
                        provider: reading.provider,
                        reason: `instance type ${unrecognised.join(", ")} of capacity provider "${reading.provider}" is not a recognised EC2 instance type`,
                    });
                }
            }
            if (unknown.length > 0) {
                return {
                    resource,
                    verdict: {
                        kind: "undetermined",
                        reason: unknown.map((reading) => (reading.kind === "unknown" ? reading.reason : "")).join("; "),
                    },
                    x86Capacity,
                };
            }
            return { resource, verdict: { kind: "ok" }, x86Capacity };
        });
}

function notApplicableWithoutServices(args: StackValidationArgs): ServicePlacementAssessment[] {
    const assessments = assessServicePlacements(args.resources);
    if (assessments.length === 0) {
        args.notApplicable(`Policy only applies to stacks with ${SERVICE_TYPES.join(" or ")} resources`);
    }
    return assessments;
}

/**
 * Mandatory: a service whose task definition declares one architecture and whose strategy names EC2 capacity
 * that launches only the other gets tasks ECS cannot place; they wait in PENDING and the rollout never ends.
 * With `requireGraviton`, EC2 capacity with x86_64 instance types is rejected too.
 */
export const ecsServiceCapacityArchitectureMatch: StackValidationPolicy = {
    name: "ecs-service-capacity-architecture-match",
    description:
        "ECS services must not be placed on an EC2 capacity provider whose instances cannot run the task definition's cpuArchitecture.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: ECS_REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const assessments = notApplicableWithoutServices(args);
        const config = args.getConfig<EcsPlacementPolicyConfig>();
        for (const { resource, verdict, x86Capacity } of assessments) {
            if (exemptionFor(config, resource.name)) {
                continue;
            }
            const subject = `ECS service "${resource.name}"`;
            if (verdict.kind === "mismatch") {
                reportViolation(
                    violationMessage({
                        subject,
                        found: verdict.found,
                        required: "the capacity a service names must run the architecture its task definition declares",
                        fix: `${verdict.fix}; ${EXEMPTION_HINT}`,
                    }),
                    resource.urn,
                );
                continue;
            }
            if (config.requireGraviton === true && x86Capacity.length > 0) {
                const listed = x86Capacity
                    .map((entry) => `"${entry.provider}" (${entry.instanceTypes.join(", ")})`)
                    .join(", ");
                reportViolation(
                    violationMessage({
                        subject,
                        found: `its capacity provider strategy names EC2 capacity with x86_64 instance types: ${listed}`,
                        required: "requireGraviton is set, so EC2 capacity for ECS services must be Graviton",
                        fix: `use Graviton instance types (for example m7g.large) in the Auto Scaling group, or FARGATE with cpuArchitecture ARM64; ${EXEMPTION_HINT}`,
                    }),
                    resource.urn,
                );
            }
        }
    },
};

/**
 * Advisory: where a link of service, task definition, capacity provider, Auto Scaling group and instance types
 * cannot be read from the stack, the mandatory policy cannot judge; this says so rather than passing silently.
 */
export const ecsServiceCapacityArchitectureUnknown: StackValidationPolicy = {
    name: "ecs-service-capacity-architecture-unknown",
    description:
        "Reports ECS services on EC2 capacity providers whose architecture cannot be compared with the task definition's.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const { resource, verdict } of notApplicableWithoutServices(args)) {
            if (verdict.kind !== "undetermined") {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject: `ECS service "${resource.name}"`,
                    found: `the architecture of the capacity it is placed on cannot be compared with its task definition's: ${verdict.reason}`,
                    required:
                        "a task definition with runtimePlatform.cpuArchitecture and EC2 capacity providers whose Auto Scaling group and instance types are in this stack",
                    fix:
                        "create the task definition, capacity provider, Auto Scaling group and launch template in this stack with recognised " +
                        "instance types, or check by hand that the instances run the task definition's cpuArchitecture",
                }),
                resource.urn,
            );
        }
    },
};
