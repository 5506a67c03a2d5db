// The main program as a deploy job runs it, shared by the tests that check the deploy roles against its calls.
import * as assert from "assert";
import { ProgramRun, projectName, runProgram } from "../../tools/harness";
import { BootstrapRun } from "./harness";

const runs = new Map<string, Promise<ProgramRun>>();

/**
 * The runtimes the deploy roles cover: the stack files' own plus App Runner. Express Mode and EKS are deployed with
 * admin rights for now (README, "The runtimes"), so their resources are not held to the deploy roles.
 */
const deployRoleRuntimes = { [`${projectName}:appRunner.enabled`]: true };

/**
 * The program for `stack` with every runtime the deploy roles cover, so each of their roles and services is
 * registered, and with the permissions boundary its deploy role creates roles with, as the stack file sets it.
 */
export function deployedRun(stack: string, permissionsBoundaryArn: string): Promise<ProgramRun> {
    const key = `${stack} ${permissionsBoundaryArn}`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runProgram(stack, {
            config: { ...deployRoleRuntimes, "graviton-multiarch:iam.permissionsBoundaryArn": permissionsBoundaryArn },
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
