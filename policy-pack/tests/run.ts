// Test-only: runs the pack's policies in this process, without the Pulumi engine, for fast unit tests. The real
// path (the pack over gRPC, as the CLI runs it) is harness/policyAnalyzer/; `npm run check` uses only that. Over
// resources captured by a mocked program run, or
// hand-written fixtures. Nothing here constructs PolicyPack (that would start a gRPC server).
//
// The argument bags mirror what @pulumi/policy's analyzer builds in node_modules/@pulumi/policy/server.js
// (v1.21): props wrapped in unknownCheckingProxy, getConfig returning the policy's own config section,
// notApplicable throwing, an UnknownValueError turned into an advisory "can't run ... during preview".

import type {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyPackConfig,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PACK_NAME, policies as packPolicies } from "../policies";
import { isUnknownValueError, unknownCheckingProxy } from "../unknowns";

export type { PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy, Policies, EnforcementLevel };

/** A resource as a policy sees it: what a mocked program run captures, or a hand-written test fixture. */
export interface ResourceSnapshot {
    /** The Pulumi type token, e.g. `aws:lambda/function:Function`. */
    type: string;
    /** The logical name passed to the resource's constructor. */
    name: string;
    /** Defaults to `defaultUrn(type, name)`. */
    urn?: string;
    /** Resource inputs (for resource policies) or outputs (for stack policies); may contain UNKNOWN sentinels. */
    props: Record<string, unknown>;
    /** URN of the parent resource. */
    parent?: string;
    /** URNs of the resources this one depends on. */
    dependencies?: string[];
    /** For each input property, the URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

/** Settings shared by every evaluation. */
export interface EvaluationContext {
    /** The pack config, as given to `--policy-pack-config` (see `packConfig()` in policies.ts). */
    config?: PolicyPackConfig;
    /** Tags of the stack being checked. */
    stackTags?: Readonly<Record<string, string>>;
}

/** A violation reported by one policy. */
export interface PolicyViolation {
    policyName: string;
    /** "remediate" is reported as "mandatory", as the engine does. */
    enforcementLevel: "advisory" | "mandatory";
    message: string;
    /** The resource the violation is about (a stack policy may report on the stack as a whole). */
    urn?: string;
}

/** What happened when one policy ran. */
export type PolicyOutcome =
    | { status: "ran"; violations: { message: string; urn?: string }[] }
    | { status: "not-applicable"; reason?: string }
    | { status: "unknown-during-preview"; message: string };

/** The URN the engine would give a top-level resource of this stack. */
export function defaultUrn(type: string, name: string, stack = "dev", project = "graviton-multiarch"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Thrown by `notApplicable()` in the argument bags built here (the engine's own class is not exported). */
export class PolicyNotApplicable extends Error {
    constructor(readonly reason: string | undefined) {
        super(reason ?? "Policy does not apply");
        this.name = "PolicyNotApplicable";
    }
}

function throwNotApplicable(reason?: string): never {
    throw new PolicyNotApplicable(reason);
}

/** The enforcement level a policy runs at under a pack config (policy entry, then `all`, then the policy's own). */
export function enforcementLevelOf(policy: Policy, config: PolicyPackConfig = {}): EnforcementLevel {
    const levelIn = (entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined =>
        typeof entry === "string" ? entry : entry?.enforcementLevel;
    return levelIn(config[policy.name]) ?? levelIn(config["all"]) ?? policy.enforcementLevel ?? "advisory";
}

/**
 * What `args.getConfig()` returns: the policy's section of the pack config without `enforcementLevel`, over the
 * defaults of its config schema (the CLI fills those in before handing config to the pack).
 */
export function policyConfigFor(policy: Policy, config: PolicyPackConfig = {}): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (typeof schema === "object" && schema.default !== undefined) {
            // Copied so that a policy cannot change the schema's default through its config.
            defaults[key] = structuredClone(schema.default);
        }
    }
    const entry = config[policy.name];
    const settings: Record<string, unknown> = typeof entry === "object" ? { ...entry } : {};
    delete settings.enforcementLevel;
    return { ...defaults, ...settings };
}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

// The engine's isTypeOf: compare the class's `__pulumiType`, else ask its `isInstance`.
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const candidate = resourceClass as { __pulumiType?: unknown; isInstance?: unknown } | undefined;
    if (typeof candidate?.__pulumiType === "string" && candidate.__pulumiType !== "") {
        return candidate.__pulumiType === type;
    }
    return typeof candidate?.isInstance === "function" && candidate.isInstance({ __pulumiType: type }) === true;
}

function freezeTags(tags: Readonly<Record<string, string>> = {}): ReadonlyMap<string, string> {
    return new Map(Object.entries(tags));
}

/** The argument bag the engine passes to a resource policy's `validateResource`. */
export function resourceValidationArgs(
    resource: ResourceSnapshot,
    policy: Policy,
    context: EvaluationContext = {},
): ResourceValidationArgs {
    const props = unknownCheckingProxy({ ...resource.props });
    const config = policyConfigFor(policy, context.config);
    const isType = (resourceClass: unknown): boolean => isTypeOf(resource.type, resourceClass);
    return {
        type: resource.type,
        props,
        urn: resource.urn ?? defaultUrn(resource.type, resource.name),
        name: resource.name,
        opts: { ...DEFAULT_OPTIONS, parent: resource.parent },
        stackTags: freezeTags(context.stackTags),
        isType,
        // The engine returns the (proxied) props themselves; the cast states the generic return type it promises.
        asType: ((resourceClass: unknown) =>
            isType(resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
}

/** The argument bag the engine passes to a stack policy's `validateStack`, with parents and dependencies linked by URN. */
export function stackValidationArgs(
    resources: readonly ResourceSnapshot[],
    policy: Policy,
    context: EvaluationContext = {},
): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const linked = resources.map((snapshot) => {
        const urn = snapshot.urn ?? defaultUrn(snapshot.type, snapshot.name);
        const props = unknownCheckingProxy({ ...snapshot.props });
        const isType = (resourceClass: unknown): boolean => isTypeOf(snapshot.type, resourceClass);
        const resource: PolicyResource = {
            type: snapshot.type,
            props,
            urn,
            name: snapshot.name,
            opts: { ...DEFAULT_OPTIONS, parent: snapshot.parent },
            dependencies: [],
            propertyDependencies: {},
            isType,
            asType: ((resourceClass: unknown) =>
                isType(resourceClass) ? props : undefined) as PolicyResource["asType"],
        };
        byUrn.set(urn, resource);
        return { snapshot, resource };
    });
    const resolve = (urns: readonly string[] = []): PolicyResource[] =>
        urns.map((urn) => byUrn.get(urn)).filter((found): found is PolicyResource => found !== undefined);
    for (const { snapshot, resource } of linked) {
        resource.parent = snapshot.parent !== undefined ? byUrn.get(snapshot.parent) : undefined;
        resource.dependencies = resolve(snapshot.dependencies);
        for (const [property, urns] of Object.entries(snapshot.propertyDependencies ?? {})) {
            resource.propertyDependencies[property] = resolve(urns);
        }
    }
    const config = policyConfigFor(policy, context.config);
    return {
        resources: linked.map(({ resource }) => resource),
        stackTags: freezeTags(context.stackTags),
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
}

async function runValidation(
    policyName: string,
    validate: (report: ReportViolation) => Promise<void> | void,
): Promise<PolicyOutcome> {
    const violations: { message: string; urn?: string }[] = [];
    const report: ReportViolation = (message, urn) => {
        violations.push(urn === undefined ? { message } : { message, urn });
    };
    try {
        await validate(report);
    } catch (error) {
        if (error instanceof PolicyNotApplicable) {
            return { status: "not-applicable", reason: error.reason };
        }
        if (isUnknownValueError(error)) {
            return {
                status: "unknown-during-preview",
                message: `can't run policy '${policyName}' from policy pack '${PACK_NAME}' during preview: ${error.message}`,
            };
        }
        throw error;
    }
    return { status: "ran", violations };
}

/** Runs a resource policy against one resource, as the engine's `analyze` call does. */
export async function runResourceValidation(
    policy: ResourceValidationPolicy,
    resource: ResourceSnapshot,
    context: EvaluationContext = {},
): Promise<PolicyOutcome> {
    const validations =
        policy.validateResource === undefined
            ? []
            : Array.isArray(policy.validateResource)
              ? policy.validateResource
              : [policy.validateResource];
    const urn = resource.urn ?? defaultUrn(resource.type, resource.name);
    const outcomes: PolicyOutcome[] = [];
    for (const validation of validations) {
        outcomes.push(
            await runValidation(policy.name, (report) =>
                validation(resourceValidationArgs(resource, policy, context), report),
            ),
        );
    }
    // Like the engine, a not-applicable or unknown outcome of one validation does not stop the others.
    const ran = outcomes.filter(
        (outcome): outcome is Extract<PolicyOutcome, { status: "ran" }> => outcome.status === "ran",
    );
    if (ran.length === 0) {
        return outcomes[0] ?? { status: "not-applicable", reason: "Policy does not implement validateResource" };
    }
    // The engine attributes every resource-policy violation to the resource being validated.
    return {
        status: "ran",
        violations: ran.flatMap((outcome) => outcome.violations.map(({ message }) => ({ message, urn }))),
    };
}

/** Runs a stack policy over all resources, as the engine's `analyzeStack` call does. */
export async function runStackValidation(
    policy: StackValidationPolicy,
    resources: readonly ResourceSnapshot[],
    context: EvaluationContext = {},
): Promise<PolicyOutcome> {
    return runValidation(policy.name, (report) =>
        policy.validateStack(stackValidationArgs(resources, policy, context), report),
    );
}

function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
    return typeof (policy as Partial<StackValidationPolicy>).validateStack === "function";
}

/**
 * Evaluates every policy of the pack (or `options.policies`) over a list of resources and returns the
 * violations with policy name and enforcement level. Disabled policies are skipped; a policy that cannot run
 * because a value is unknown yields the engine's advisory "can't run ... during preview".
 */
export async function evaluatePolicies(
    resources: readonly ResourceSnapshot[],
    options: EvaluationContext & { policies?: Policies } = {},
): Promise<PolicyViolation[]> {
    const found: PolicyViolation[] = [];
    for (const policy of options.policies ?? packPolicies) {
        const level = enforcementLevelOf(policy, options.config);
        if (level === "disabled") {
            continue;
        }
        const enforcementLevel: PolicyViolation["enforcementLevel"] = level === "advisory" ? "advisory" : "mandatory";
        const outcomes = isStackPolicy(policy)
            ? [await runStackValidation(policy, resources, options)]
            : await Promise.all(resources.map((resource) => runResourceValidation(policy, resource, options)));
        outcomes.forEach((outcome, index) => {
            if (outcome.status === "ran") {
                found.push(
                    ...outcome.violations.map((violation) => ({
                        policyName: policy.name,
                        enforcementLevel,
                        ...violation,
                    })),
                );
            } else if (outcome.status === "unknown-during-preview") {
                const urn = isStackPolicy(policy)
                    ? undefined
                    : (resources[index].urn ?? defaultUrn(resources[index].type, resources[index].name));
                found.push({ policyName: policy.name, enforcementLevel: "advisory", message: outcome.message, urn });
            }
        });
    }
    return found;
}

/** True when any violation would block a `pulumi up`. */
export function hasMandatoryViolations(violations: readonly PolicyViolation[]): boolean {
    return violations.some((violation) => violation.enforcementLevel === "mandatory");
}
