// The project's model of what `pulumi up` does to a stack whose last update registered `before` when the program now
// registers `after`, as its preview shows it: the engine matches resources by URN, asks each provider to diff the old
// inputs against the new, and treats a replaced resource's outputs as unknown, so every argument that takes them
// (its property dependencies) changes too, and every resource of a replaced provider is replaced (pulumi/pulumi,
// pkg/resource/deploy/step_generator.go). The per-argument rules are read from the providers' source
// (tests/models/providerRules.ts); this file only chains them. It is a model, not the engine: it is only as true as
// the rule table, and it leaves out tag-only updates, which a change of the provider's default tags makes on every
// tagged resource.
import { isDeepStrictEqual } from "util";
import type { CustomResourceOptions } from "@pulumi/pulumi";
import type { CapturedResource, ProgramRun } from "../../harness";
import { ChangeEffect, PropertyRule, providerRules } from "./providerRules";

export type StepKind = "create" | "update" | "replace" | "delete" | "fail";

export interface Step {
    readonly kind: StepKind;
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The top-level arguments that differ, for an update, a replace or a failure. */
    readonly changed: readonly string[];
    /** For a failure: the provider's reason; for a replace: the arguments that force it. */
    readonly reason?: string;
}

export interface Plan {
    readonly steps: readonly Step[];
    /** Arguments that changed on a resource type whose rule the table lacks: the plan cannot be trusted until added. */
    readonly unknownRules: readonly string[];
}

/**
 * Arguments that are a resource's unique name in its account and region. The engine creates a replacement before it
 * deletes the original unless the resource asks for `deleteBeforeReplace` (Pulumi docs, "Resource options",
 * deleteBeforeReplace), so replacing a resource whose name the program sets fails on the name, and AWS refuses it.
 */
const uniqueNames: Readonly<Record<string, string>> = {
    "aws:apprunner/service:Service": "serviceName",
    "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:ecr/repository:Repository": "name",
    "aws:ecs/cluster:Cluster": "name",
    "aws:ecs/expressGatewayService:ExpressGatewayService": "serviceName",
    "aws:eks/cluster:Cluster": "name",
    "aws:iam/role:Role": "name",
    "aws:lambda/function:Function": "name",
    "aws:lb/loadBalancer:LoadBalancer": "name",
    "aws:lb/targetGroup:TargetGroup": "name",
    "aws:sns/topic:Topic": "name",
};

function ignoredChanges(resource: CapturedResource): readonly string[] {
    return resource.options.ignoreChanges ?? [];
}

/** What one argument's change does, with the rule behind it; undefined when the table has no rule for it. */
function ruleFor(type: string, argument: string): PropertyRule | undefined {
    return providerRules[type]?.[argument];
}

/** Resource types whose providers the engine diffs by whole-resource equality: components have no provider. */
function isDiffed(resource: CapturedResource): boolean {
    return resource.custom;
}

/**
 * The steps `pulumi up` takes from the state `before` left to the program that registers `after`. Arguments that
 * differ are looked up in the rule table; a replacement makes its dependents' references to it change in turn.
 */
export function planUpdate(before: ProgramRun, after: ProgramRun): Plan {
    const old = new Map(before.resources.map((resource) => [resource.urn, resource]));
    const steps = new Map<string, Step>();
    const unknownRules = new Set<string>();
    // The arguments of each kept resource that differ, grown as replacements ripple through references.
    const changedArguments = new Map<string, Set<string>>();

    for (const resource of after.resources) {
        const previous = old.get(resource.urn);
        if (previous === undefined) {
            steps.set(resource.urn, {
                kind: "create",
                urn: resource.urn,
                type: resource.type,
                name: resource.name,
                changed: [],
            });
            continue;
        }
        if (!isDiffed(resource)) {
            continue;
        }
        const changed = new Set<string>();
        for (const argument of new Set([...Object.keys(previous.inputs), ...Object.keys(resource.inputs)])) {
            if (ignoredChanges(resource).includes(argument)) {
                continue;
            }
            if (!isDeepStrictEqual(previous.inputs[argument], resource.inputs[argument])) {
                // A Computed argument the program stops setting keeps its stored value: no diff.
                if (resource.inputs[argument] === undefined && ruleFor(resource.type, argument)?.keptWhenUnset) {
                    continue;
                }
                changed.add(argument);
            }
        }
        changedArguments.set(resource.urn, changed);
    }

    const current = new Map(after.resources.map((resource) => [resource.urn, resource]));
    const replaced = new Set<string>();
    // A resource whose provider is replaced is replaced with it (pulumi/pulumi, step_generator.go: a new provider
    // instance means new resources).
    const byNewProvider = new Set<string>();
    // Replacements ripple: the engine treats a replaced resource's outputs as unknown in a preview, so each argument
    // that takes them changes, and its own rule may replace the dependent too. Repeat until nothing new is replaced.
    for (;;) {
        let grew = false;
        for (const [urn, changed] of changedArguments) {
            const resource = current.get(urn);
            if (replaced.has(urn) || resource === undefined) {
                continue;
            }
            const forcing = [...changed].filter(
                (argument) => effectOf(resource, argument, unknownRules)?.kind === "replace",
            );
            if (forcing.length === 0 && !byNewProvider.has(urn)) {
                continue;
            }
            replaced.add(urn);
            grew = true;
            for (const dependent of after.resources) {
                const dependentChanges = changedArguments.get(dependent.urn);
                if (dependentChanges === undefined) {
                    continue;
                }
                if (dependent.provider === urn) {
                    byNewProvider.add(dependent.urn);
                }
                for (const [argument, sources] of Object.entries(dependent.dependencies)) {
                    if (sources.includes(urn) && !ignoredChanges(dependent).includes(argument)) {
                        dependentChanges.add(argument);
                    }
                }
            }
        }
        if (!grew) {
            break;
        }
    }

    for (const [urn, changed] of changedArguments) {
        const resource = current.get(urn);
        if (resource === undefined || (changed.size === 0 && !replaced.has(urn))) {
            continue;
        }
        const arguments_ = [...changed].sort();
        const base = { urn, type: resource.type, name: resource.name, changed: arguments_ };
        if (replaced.has(urn)) {
            const forcing = arguments_.filter(
                (argument) => effectOf(resource, argument, unknownRules)?.kind === "replace",
            );
            const name = resource.inputs[uniqueNames[resource.type] ?? ""];
            const clash =
                name !== undefined && (resource.options as CustomResourceOptions).deleteBeforeReplace !== true;
            if (byNewProvider.has(urn) && forcing.length === 0) {
                forcing.push("its provider is replaced");
            }
            steps.set(
                urn,
                clash
                    ? {
                          ...base,
                          kind: "fail",
                          reason: `a replacement named ${JSON.stringify(name)} while the original exists`,
                      }
                    : { ...base, kind: "replace", reason: forcing.join(", ") },
            );
            continue;
        }
        const unmet = arguments_.flatMap((argument) => {
            const effect = effectOf(resource, argument, unknownRules);
            if (effect?.kind !== "update-requires") {
                return [];
            }
            return isDeepStrictEqual(resource.inputs[effect.argument], effect.value)
                ? []
                : [`${argument} changes only with ${effect.argument} = ${JSON.stringify(effect.value)}`];
        });
        steps.set(
            urn,
            unmet.length > 0 ? { ...base, kind: "fail", reason: unmet.join("; ") } : { ...base, kind: "update" },
        );
    }

    for (const resource of before.resources) {
        if (!current.has(resource.urn)) {
            steps.set(resource.urn, {
                kind: "delete",
                urn: resource.urn,
                type: resource.type,
                name: resource.name,
                changed: [],
            });
        }
    }
    return { steps: [...steps.values()], unknownRules: [...unknownRules].sort() };
}

function effectOf(resource: CapturedResource, argument: string, unknownRules: Set<string>): ChangeEffect | undefined {
    const rule = ruleFor(resource.type, argument);
    if (rule === undefined) {
        unknownRules.add(`${resource.type} ${argument}`);
    }
    return rule?.effect;
}
