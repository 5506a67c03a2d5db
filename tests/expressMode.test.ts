import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ExpressModeService } from "../components/expressModeService";
import { everyRuntime, everyRuntimeRun, ProgramRun, runProgram, stackRun } from "./harness";

type ExpressInputs = pulumi.Unwrap<aws.ecs.ExpressGatewayServiceArgs>;
type RoleInputs = { assumeRolePolicy: string };
type AttachmentInputs = pulumi.Unwrap<aws.iam.RolePolicyAttachmentArgs>;

const expressType = "aws:ecs/expressGatewayService:ExpressGatewayService";

/** The one service a role trusts, and the managed policies attached to the role. */
function roleBehind(run: ProgramRun, roleArn: string) {
    const role = run.ofType<RoleInputs>("aws:iam/role:Role").find((candidate) => candidate.state.arn === roleArn);
    assert.ok(role, `no role with ARN ${roleArn}`);
    const statement = (JSON.parse(role.inputs.assumeRolePolicy) as { Statement: { Principal: { Service: string } }[] })
        .Statement;
    const policies = run
        .ofType<AttachmentInputs>("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((attachment) => attachment.inputs.role === role.state.name)
        .map((attachment) => attachment.inputs.policyArn);
    return { trusts: statement.map((entry) => entry.Principal.Service), policies };
}

for (const stack of ["dev", "prod"]) {
    describe(`ECS Express Mode (${stack}, expressMode.enabled)`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await everyRuntimeRun(stack);
        });

        it("runs one Express service on the amd64 manifest, never the index", () => {
            const express = run.one<ExpressInputs>(expressType);
            assert.strictEqual(express.inputs.primaryContainer.image, run.outputs.amd64Ref);
            assert.notStrictEqual(express.inputs.primaryContainer.image, run.outputs.indexRef);
        });

        it("health-checks /healthz on the app's port, and tells the app it runs on Express", () => {
            const express = run.one<ExpressInputs>(expressType);
            assert.strictEqual(express.inputs.healthCheckPath, "/healthz");
            assert.strictEqual(express.inputs.primaryContainer.containerPort, 8080);
            assert.deepStrictEqual(express.inputs.primaryContainer.environments, [
                { name: "PORT", value: "8080" },
                { name: "APP_RUNTIME", value: "express" },
            ]);
            assert.deepStrictEqual([express.inputs.cpu, express.inputs.memory], ["256", "512"]);
            assert.strictEqual(express.inputs.waitForSteadyState, true);
        });

        it("gives ECS the execution and infrastructure roles with the AWS-managed policies", () => {
            const express = run.one<ExpressInputs>(expressType);
            assert.deepStrictEqual(roleBehind(run, express.inputs.executionRoleArn), {
                trusts: ["ecs-tasks.amazonaws.com"],
                policies: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
            });
            assert.deepStrictEqual(roleBehind(run, express.inputs.infrastructureRoleArn), {
                trusts: ["ecs.amazonaws.com"],
                policies: ["arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"],
            });
        });

        // The engine deletes a resource before what it depends on, and the pinned provider's delete returns once ECS
        // reports the service INACTIVE (docs/platform-facts.md, "Amazon ECS Express Mode").
        it("is deleted before its roles, their policies and its cluster: it depends on each", () => {
            const express = run.one<ExpressInputs>(expressType);
            const roles = [express.inputs.executionRoleArn, express.inputs.infrastructureRoleArn].map((arn) => {
                const role = run.ofType("aws:iam/role:Role").find((candidate) => candidate.state.arn === arn);
                assert.ok(role, `the service names a role this stack does not create: ${arn}`);
                return role.state.name;
            });
            const attachments = run
                .ofType<AttachmentInputs>("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((attachment) => roles.includes(attachment.inputs.role as string))
                .map((attachment) => attachment.name);
            // Resources carry their type and name at run time (sdk/nodejs/resource.ts, __pulumiType and __name).
            const dependsOn = ([] as unknown[])
                .concat(express.options.dependsOn ?? [])
                .map((resource) => (resource as { __name?: string }).__name);
            assert.deepStrictEqual(
                attachments.filter((name) => !dependsOn.includes(name)),
                [],
            );
            assert.strictEqual(attachments.length, 2);
            const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "express");
            assert.strictEqual(express.inputs.cluster, providers.state.clusterName);
        });

        it("runs in a cluster of its own that offers FARGATE, and logs to a group of the stack", () => {
            const express = run.one<ExpressInputs>(expressType);
            const own = run.one("aws:ecs/cluster:Cluster", "express");
            assert.strictEqual(express.inputs.cluster, own.state.name);
            const providers = run.one<pulumi.Unwrap<aws.ecs.ClusterCapacityProvidersArgs>>(
                "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
                "express",
            );
            assert.deepStrictEqual(
                [providers.inputs.clusterName, providers.inputs.capacityProviders],
                [own.state.name, ["FARGATE"]],
            );
            const [logs] = express.inputs.primaryContainer.awsLogsConfigurations ?? [];
            const group = run.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.state.name === logs?.logGroup);
            assert.ok(group, "the Express service logs to a group this stack does not create");
            assert.strictEqual(group.inputs.retentionInDays, stack === "prod" ? 30 : 7);
        });

        it("exports the service's public HTTPS URL and ARN", () => {
            const express = run.one(expressType);
            assert.strictEqual(
                run.outputs.expressUrl,
                `https://${express.state.serviceName as string}.ecs.us-east-1.on.aws`,
            );
            assert.strictEqual(run.outputs.expressServiceArn, express.state.serviceArn);
        });
    });
}

describe("ECS Express Mode: a service the provider reports without ingress paths", () => {
    // The provider may report no ingress path at all (docs/platform-facts.md, "Amazon ECS Express Mode").
    const withIngressPaths = (ingressPaths: unknown) => ({
        config: everyRuntime,
        state: (type: string, _name: string, state: Record<string, unknown>) =>
            type === expressType ? { ...state, ingressPaths } : state,
    });

    for (const [label, ingressPaths] of [
        ["none at all", undefined],
        ["an empty list", []],
    ] as const) {
        it(`exports expressUrl as null when it reports ${label}, and still runs`, async () => {
            const run = await runProgram("dev", withIngressPaths(ingressPaths));
            assert.strictEqual(run.outputs.expressUrl, null);
            assert.strictEqual(run.outputs.expressServiceArn, run.one(expressType).state.serviceArn);
        });
    }

    it("prefers the PUBLIC path, and keeps a scheme the endpoint already has", async () => {
        const run = await runProgram(
            "dev",
            withIngressPaths([
                { accessType: "PRIVATE", endpoint: "internal.example" },
                { accessType: "PUBLIC", endpoint: "https://public.example" },
            ]),
        );
        assert.strictEqual(run.outputs.expressUrl, "https://public.example");
    });
});

describe("ECS Express Mode: off by default", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: no Express service or its roles, and null outputs`, async () => {
            const run = await stackRun(stack);
            assert.deepStrictEqual(run.ofType(expressType), []);
            assert.deepStrictEqual(run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
            assert.deepStrictEqual([run.outputs.expressUrl, run.outputs.expressServiceArn], [null, null]);
        });
    }

    it("refuses, in the component, an image by tag", () => {
        assert.throws(
            () => new ExpressModeService("bad", { image: "repo:latest" }),
            /ExpressModeService: image must be pinned by digest/,
        );
    });
});
