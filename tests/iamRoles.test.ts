import * as assert from "assert";
import { AppRunnerService } from "../components/appRunnerService";
import { ArmLambda } from "../components/armLambda";
import { FargateServicePair } from "../components/fargateServicePair";
import { everyRuntime, everyRuntimeRun, ProgramRun, runProgram } from "./harness";

type RoleInputs = { path?: string; permissionsBoundary?: string };

const boundaryArn = "arn:aws:iam::123456789012:policy/github-dev-boundary-1a2b3c4";

describe("IAM roles of the program", () => {
    for (const stack of ["dev", "prod"]) {
        it(`puts every role of ${stack} under /graviton-multiarch/${stack}/, the only path its deploy role reaches`, async () => {
            const roles = (await everyRuntimeRun(stack)).ofType<RoleInputs>("aws:iam/role:Role");
            assert.strictEqual(roles.length, 6);
            assert.deepStrictEqual(
                roles.map((role) => [role.name, role.inputs.path]),
                roles.map((role) => [role.name, `/graviton-multiarch/${stack}/`]),
            );
        });
    }

    describe("iam.permissionsBoundaryArn", () => {
        let bounded: ProgramRun;
        before(async () => {
            bounded = await runProgram("dev", {
                config: { ...everyRuntime, "graviton-multiarch:iam.permissionsBoundaryArn": boundaryArn },
            });
        });

        it("gives every role the boundary, so a deploy role that may create only bounded roles can deploy", () => {
            const roles = bounded.ofType<RoleInputs>("aws:iam/role:Role");
            assert.deepStrictEqual(roles.map((role) => [role.name, role.inputs.permissionsBoundary]).sort(), [
                ["api", boundaryArn],
                ["app-access", boundaryArn],
                // Express Mode is not covered by the deploy roles yet, so its roles carry no boundary.
                ["express-execution", undefined],
                ["express-infrastructure", undefined],
                ["web-execution", boundaryArn],
                ["web-task", boundaryArn],
            ]);
        });

        it("gives no role a boundary when unset, as a deploy with admin rights may", async () => {
            const roles = (await everyRuntimeRun("dev")).ofType<RoleInputs>("aws:iam/role:Role");
            assert.deepStrictEqual(
                roles.map((role) => role.inputs.permissionsBoundary),
                roles.map(() => undefined),
            );
        });
    });

    it("refuses a permissions boundary that is not a managed policy's ARN, naming the argument", () => {
        const image = `repo@sha256:${"a".repeat(64)}`;
        const role = "arn:aws:iam::123456789012:role/boundary";
        const refused =
            /: permissionsBoundaryArn must be an IAM managed policy ARN like arn:aws:iam::123456789012:policy\/boundary; got arn:aws:iam::123456789012:role\/boundary/;
        assert.throws(
            () => new ArmLambda("bad", { imageUri: image, repositoryName: "app", permissionsBoundaryArn: role }),
            refused,
        );
        assert.throws(
            () => new AppRunnerService("bad", { image, repositoryArn: "arn", permissionsBoundaryArn: role }),
            refused,
        );
        assert.throws(
            () =>
                new FargateServicePair("bad", {
                    vpcId: "vpc-1",
                    publicSubnetIds: [],
                    privateSubnetIds: [],
                    image,
                    repositoryArn: "arn",
                    permissionsBoundaryArn: role,
                }),
            refused,
        );
    });
});
