import * as assert from "assert";
import { everyRuntime, ProgramRun, runProgram, withEks } from "./harness";

type RoleInputs = { path?: string; permissionsBoundary?: string };

const boundaryArn = "arn:aws:iam::123456789012:policy/github-dev-boundary-1a2b3c4";

const everyRoleRuns = new Map<string, Promise<ProgramRun>>();

/** The program with every runtime that has roles on: App Runner, Express Mode and EKS. */
function everyRoleRun(stack: string): Promise<ProgramRun> {
    let run = everyRoleRuns.get(stack);
    if (run === undefined) {
        run = runProgram(stack, { config: { ...everyRuntime, ...withEks } });
        everyRoleRuns.set(stack, run);
    }
    return run;
}

describe("IAM roles of the program", () => {
    for (const stack of ["dev", "prod"]) {
        it(`puts every role of ${stack} under /graviton-multiarch/${stack}/, the only path its deploy role reaches`, async () => {
            const roles = (await everyRoleRun(stack)).ofType<RoleInputs>("aws:iam/role:Role");
            const base = `/graviton-multiarch/${stack}/`;
            // The roles AWS services assume to build infrastructure sit one level deeper, one sub-path per kind.
            const serviceRoles: Record<string, string> = {
                "express-infrastructure": `${base}ecs-infrastructure/`,
                "eks-cluster": `${base}eks-cluster/`,
            };
            assert.strictEqual(roles.length, 8);
            assert.deepStrictEqual(
                roles.map((role) => [role.name, role.inputs.path]),
                roles.map((role) => [role.name, serviceRoles[role.name] ?? base]),
            );
        });
    }

    describe("iam.permissionsBoundaryArn", () => {
        let bounded: ProgramRun;
        before(async () => {
            bounded = await runProgram("dev", {
                config: { ...everyRuntime, ...withEks, "graviton-multiarch:iam.permissionsBoundaryArn": boundaryArn },
            });
        });

        it("gives every role a boundary, so a deploy role that may create only bounded roles can deploy", () => {
            const roles = bounded.ofType<RoleInputs>("aws:iam/role:Role");
            const managed = (policy: string) => `arn:aws:iam::aws:policy/${policy}`;
            assert.deepStrictEqual(roles.map((role) => [role.name, role.inputs.permissionsBoundary]).sort(), [
                ["api", boundaryArn],
                ["app-access", boundaryArn],
                // A service role is bounded by the one AWS managed policy it carries.
                ["eks-cluster", managed("AmazonEKSClusterPolicy")],
                ["eks-nodes", boundaryArn],
                ["express-execution", boundaryArn],
                [
                    "express-infrastructure",
                    managed("service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"),
                ],
                ["web-execution", boundaryArn],
                ["web-task", boundaryArn],
            ]);
        });

        it("gives no role a boundary when unset, as a deploy with admin rights may", async () => {
            const roles = (await everyRoleRun("dev")).ofType<RoleInputs>("aws:iam/role:Role");
            assert.deepStrictEqual(
                roles.map((role) => role.inputs.permissionsBoundary),
                roles.map(() => undefined),
            );
        });
    });
});
