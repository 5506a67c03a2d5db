// The main program as a deploy job runs it, shared by the tests that check the deploy roles against its calls.
import * as assert from "assert";
import { everyRuntime, ProgramRun, runProgram } from "../../tests/harness";
import { BootstrapRun } from "./harness";

const runs = new Map<string, Promise<ProgramRun>>();

/**
 * The program for `stack` with every optional runtime on, so every role and every service is registered, and with
 * the permissions boundary its deploy role creates roles with, as the stack file sets it.
 */
export function deployedRun(stack: string, permissionsBoundaryArn: string): Promise<ProgramRun> {
    const key = `${stack} ${permissionsBoundaryArn}`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runProgram(stack, {
            config: { ...everyRuntime, "graviton-multiarch:iam.permissionsBoundaryArn": permissionsBoundaryArn },
        });
        runs.set(key, run);
    }
    return run;
}

/** The boundary the bootstrap made for a deploy environment, as its `roles` output gives it. */
export function boundaryOf(bootstrap: BootstrapRun, environment: string): string {
    const roles = bootstrap.outputs.roles as Record<string, { permissionsBoundaryArn?: string }>;
    const arn = roles[environment]?.permissionsBoundaryArn;
    assert.ok(arn !== undefined && arn !== "", `no permissions boundary for ${environment}`);
    return arn;
}
