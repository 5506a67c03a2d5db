// The tests' view of the mock runtime (tools/harness.ts), plus the in-process evaluator's snapshot shape.
import type { ResourceSnapshot } from "./policy/run";
import { ProgramRun, projectName } from "../tools/harness";

export * from "../tools/harness";

/**
 * The registered resources as the policy pack sees them. The mocks' state holds the inputs
 * plus the computed outputs, which serves both resource policies (inputs) and stack
 * policies (outputs); the id is added so node groups can find launch templates by id.
 */
export function policySnapshots(run: ProgramRun): ResourceSnapshot[] {
    return run.resources
        .filter((resource) => resource.custom)
        .map((resource) => ({
            type: resource.type,
            name: resource.name,
            urn: `urn:pulumi:${run.stack}::${projectName}::${resource.type}::${resource.name}`,
            props: { ...resource.state, id: resource.id },
        }));
}
