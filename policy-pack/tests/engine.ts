// Resources as the engine sends them to the pack over gRPC: a URN of the dev stack, the properties, and the
// property dependencies with the resource dependencies they add up to (pulumi/pulumi, analyzer.proto).
import type { EngineResource } from "../../harness/policyAnalyzer";
import { projectName } from "../../components/project";

export const urn = (type: string, name: string): string => `urn:pulumi:dev::${projectName}::${type}::${name}`;

export function engineResource(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    propertyDependencies: Record<string, string[]> = {},
): EngineResource {
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    return { urn: urn(type, name), type, name, properties, propertyDependencies, dependencies };
}
