// Turns the resources a program registered (captured by a mocked run) into what the engine would send the pack:
// Analyze inputs and AnalyzeStack outputs, for a first preview or for an update.
//
// - First preview: nothing exists yet, so every output the provider computes is unknown, and so is every input
//   whose value was built from such an output. A bridged provider also reports each Optional+Computed attribute
//   the program left unset as unknown in the planned outputs (docs/platform-facts.md, "Pulumi engine and policy
//   packs"); PROVIDER_DEFAULTS lists the ones the pack reads.
// - Update: every value is known, and the provider has filled in those defaults.
//
// Which input came from which resource is recovered from the values: an input that contains a computed output of
// an earlier resource (a repository URL inside an image tag, an image ref inside a task definition) depends on
// that resource, as the engine records it in propertyDependencies (pkg/resource/deploy/step_generator.go,
// AnalyzeResources). Only outputs of 12 characters or more are traced, so that short values ("arm64") cannot
// match by chance.

import { EngineResource, UNKNOWN, secret } from "../../harness/policyAnalyzer";

/** A registered resource, as harness/index.ts captures it. */
export interface RegisteredResource {
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    /** The outputs the mocks answered (inputs plus computed values). */
    state: Record<string, unknown>;
    id?: string;
    /** Dotted paths of inputs that were secret. */
    secretInputs: readonly string[];
}

export type RunShape = "preview" | "update";

/**
 * Optional+Computed attributes the pack reads, with the value AWS fills in when the program leaves them unset
 * (Optional+Computed in hashicorp/terraform-provider-aws, which pulumi-aws bridges: `architectures` in
 * internal/service/lambda/function.go, `ami_type` and `instance_types` in internal/service/eks/node_group.go;
 * the values are Lambda's x86_64 default and EKS's AL2_x86_64 / t3.medium defaults).
 */
export const PROVIDER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
    "aws:lambda/function:Function": { architectures: ["x86_64"] },
    "aws:eks/nodeGroup:NodeGroup": { amiType: "AL2_x86_64", instanceTypes: ["t3.medium"] },
};

const TRACE_MIN_LENGTH = 12;

function urnOf(project: string, stack: string, resource: RegisteredResource): string {
    return `urn:pulumi:${stack}::${project}::${resource.type}::${resource.name}`;
}

function stringsIn(value: unknown, into: Set<string>): Set<string> {
    if (typeof value === "string") {
        if (value.length >= TRACE_MIN_LENGTH) {
            into.add(value);
        }
    } else if (Array.isArray(value)) {
        value.forEach((item) => stringsIn(item, into));
    } else if (typeof value === "object" && value !== null) {
        Object.values(value).forEach((item) => stringsIn(item, into));
    }
    return into;
}

// Re-wraps the inputs that were secret, as the engine marshals them with KeepSecrets.
function withSecrets(properties: Record<string, unknown>, secretPaths: readonly string[]): Record<string, unknown> {
    const result = structuredClone(properties);
    for (const secretPath of secretPaths) {
        const top = secretPath.split(/[.[]/)[0];
        if (top in result) {
            result[top] = secret(result[top]);
        }
    }
    return result;
}

/** Each custom resource's Analyze and AnalyzeStack payloads for one run shape. */
export function engineResources(
    project: string,
    stack: string,
    registered: readonly RegisteredResource[],
    shape: RunShape,
): { inputs: EngineResource; outputs: EngineResource }[] {
    // Computed outputs seen so far: the value, and the URN of the resource that produced it.
    const computedBy = new Map<string, string>();
    const result: { inputs: EngineResource; outputs: EngineResource }[] = [];
    for (const resource of registered.filter((candidate) => candidate.custom)) {
        const urn = urnOf(project, stack, resource);
        const propertyDependencies: Record<string, string[]> = {};
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(resource.inputs)) {
            const sources = new Set<string>();
            for (const text of stringsIn(value, new Set())) {
                for (const [computed, source] of computedBy) {
                    if (text.includes(computed)) {
                        sources.add(source);
                    }
                }
            }
            if (sources.size > 0) {
                propertyDependencies[key] = [...sources];
            }
            // In a first preview every computed output is unknown, so an input built from one is unknown too.
            inputs[key] = shape === "preview" && sources.size > 0 ? UNKNOWN : value;
        }
        const outputs: Record<string, unknown> = { ...inputs };
        const state: Record<string, unknown> = {
            ...resource.state,
            ...(resource.id !== undefined ? { id: resource.id } : {}),
        };
        for (const [key, value] of Object.entries(state)) {
            if (key in resource.inputs) {
                continue;
            }
            outputs[key] = shape === "preview" ? UNKNOWN : value;
            for (const text of stringsIn(value, new Set())) {
                computedBy.set(text, urn);
            }
        }
        for (const [key, fallback] of Object.entries(PROVIDER_DEFAULTS[resource.type] ?? {})) {
            if (!(key in resource.inputs)) {
                outputs[key] = shape === "preview" ? UNKNOWN : fallback;
            }
        }
        const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
        const base = { urn, type: resource.type, name: resource.name, dependencies, propertyDependencies };
        result.push({
            inputs: { ...base, properties: withSecrets(inputs, resource.secretInputs) },
            outputs: { ...base, properties: withSecrets(outputs, resource.secretInputs) },
        });
    }
    return result;
}
