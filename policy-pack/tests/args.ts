// The one place the policy tests build validation arguments and run policies.
//
// The argument bags come from run.ts beside this file, which mirrors @pulumi/policy's analyzer (props wrapped in
// unknownCheckingProxy, getConfig with schema defaults merged, notApplicable throwing PolicyNotApplicable,
// UnknownValueError reported as "can't run during preview"). Everything is imported through the pack, so the
// tests and the pack share one copy of @pulumi/policy and its types.

import {
    EvaluationContext,
    PolicyNotApplicable,
    PolicyOutcome,
    ResourceSnapshot,
    ResourceValidationPolicy,
    StackValidationPolicy,
    defaultUrn,
    resourceValidationArgs,
    runResourceValidation,
    runStackValidation,
    stackValidationArgs,
} from "./run";

export { PolicyNotApplicable, resourceValidationArgs, stackValidationArgs, defaultUrn };
export type { ResourceSnapshot };
export { UNKNOWN } from "../unknowns";

/** One resource handed to a resource policy. */
export interface ResourceCase {
    type: string;
    props: Record<string, unknown>;
    /** Defaults to "subject". */
    name?: string;
    /** The policy's own config section (what `args.getConfig()` should see, before schema defaults). */
    config?: Record<string, unknown>;
}

/** A whole stack handed to a stack policy. */
export interface StackCase {
    resources: ResourceSnapshot[];
    /** The policy's own config section. */
    config?: Record<string, unknown>;
}

/** What a test asserts on: the violation messages, and whether the policy declared itself not applicable. */
export interface PolicyResult {
    violations: string[];
    /** The URN each violation was reported against (same order as `violations`). */
    urns: (string | undefined)[];
    notApplicable: boolean;
    notApplicableReason?: string;
    /** Set when the policy read an unknown value and the engine would report "can't run during preview". */
    unknownDuringPreview?: string;
}

function contextFor(policyName: string, config: Record<string, unknown> | undefined): EvaluationContext {
    return config === undefined ? {} : { config: { [policyName]: config } };
}

function toResult(outcome: PolicyOutcome): PolicyResult {
    switch (outcome.status) {
        case "ran":
            return {
                violations: outcome.violations.map((v) => v.message),
                urns: outcome.violations.map((v) => v.urn),
                notApplicable: false,
            };
        case "not-applicable":
            return { violations: [], urns: [], notApplicable: true, notApplicableReason: outcome.reason };
        case "unknown-during-preview":
            return { violations: [], urns: [], notApplicable: false, unknownDuringPreview: outcome.message };
    }
}

/** Runs a resource policy against one resource. */
export async function runResourcePolicy(
    policy: ResourceValidationPolicy,
    testCase: ResourceCase,
): Promise<PolicyResult> {
    const resource: ResourceSnapshot = { type: testCase.type, name: testCase.name ?? "subject", props: testCase.props };
    return toResult(await runResourceValidation(policy, resource, contextFor(policy.name, testCase.config)));
}

/** Runs a stack policy over a list of resources. */
export async function runStackPolicy(policy: StackValidationPolicy, testCase: StackCase): Promise<PolicyResult> {
    return toResult(await runStackValidation(policy, testCase.resources, contextFor(policy.name, testCase.config)));
}

/** A stack resource fixture; `dependsOn` maps an input property to the resources its value came from. */
export function resource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    dependsOn: Record<string, ResourceSnapshot[]> = {},
): ResourceSnapshot {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, sources] of Object.entries(dependsOn)) {
        propertyDependencies[property] = sources.map((source) => source.urn ?? defaultUrn(source.type, source.name));
    }
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    return { type, name, urn: defaultUrn(type, name), props, dependencies, propertyDependencies };
}

/** A reference pinned by a sha256 digest, for fixtures. */
export function pinnedReference(repository: string, fill = "a"): string {
    return `${repository}@sha256:${fill.repeat(64)}`;
}
