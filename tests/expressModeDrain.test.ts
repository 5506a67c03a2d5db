// A destroy of Express Mode keeps the service's roles and cluster until ECS reports the service INACTIVE: the
// dependency graph the program registers, the wait's polling against mocked DescribeServices answers, and the
// provider exactly as Pulumi serializes it into the state.
import * as assert from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { DescribeServicesCommand, DescribeServicesCommandOutput, ECSClient } from "@aws-sdk/client-ecs";
import * as pulumi from "@pulumi/pulumi";
import { mockClient } from "aws-sdk-client-mock";
import { Clock, drainWaitProvider, DrainWaitState, waitUntilServiceInactive } from "../components/expressDrainWait";
import { everyRuntimeRun, ProgramRun, projectName, projectRoot } from "./harness";

const ecsMock = mockClient(ECSClient);

const waitType = "pulumi-nodejs:dynamic/ecs:ExpressServiceDrainWait";
const expressType = "aws:ecs/expressGatewayService:ExpressGatewayService";
const componentType = `${projectName}:ecs:ExpressModeService`;

/** The URN of a resource an option names, as the engine records it. */
const urnOf = (resource: pulumi.Input<pulumi.Resource>) =>
    new Promise<string>((resolve) => (resource as pulumi.Resource).urn.apply(resolve));
const dependsOn = (run: ProgramRun, type: string, name: string) =>
    Promise.all(((run.one(type, name).options.dependsOn ?? []) as pulumi.Input<pulumi.Resource>[]).map(urnOf));
const urn = (run: ProgramRun, type: string, name: string) =>
    `urn:pulumi:${run.stack}::${projectName}::${componentType}$${type}::${name}`;

/** A clock that stands still until the waiter sleeps, recording each sleep. */
function fakeClock(): Clock & { slept: number[] } {
    let now = 0;
    const slept: number[] = [];
    return {
        slept,
        now: () => now,
        sleep: async (milliseconds) => {
            slept.push(milliseconds);
            now += milliseconds;
        },
    };
}

const target = { clusterName: "express-0a1b2c3", serviceName: "express-1a2b3c4d" };
const settings = { timeoutMinutes: 1, pollSeconds: 15 };
const answer = (status?: string): DescribeServicesCommandOutput => ({
    $metadata: {},
    services: status === undefined ? [] : [{ serviceName: target.serviceName, status }],
    failures:
        status === undefined
            ? [{ arn: `arn:aws:ecs:us-east-1:123456789012:service/x/${target.serviceName}`, reason: "MISSING" }]
            : [],
});

describe("Express Mode destroy: the wait between the service and its roles and cluster", () => {
    for (const stack of ["dev", "prod"]) {
        describe(`${stack}, as registered`, () => {
            let run: ProgramRun;
            before(async () => {
                run = await everyRuntimeRun(stack);
            });

            it("makes the Express service depend on the wait, so a destroy deletes the service first", async () => {
                assert.ok((await dependsOn(run, expressType, "express")).includes(urn(run, waitType, "express-drain")));
            });

            it("makes the wait depend on both roles, their policy attachments, the cluster and the log group", async () => {
                const waitDeps = await dependsOn(run, waitType, "express-drain");
                for (const [type, name] of [
                    ["aws:iam/role:Role", "express-execution"],
                    ["aws:iam/role:Role", "express-infrastructure"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "express-execution"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "express-infrastructure"],
                    ["aws:ecs/cluster:Cluster", "express"],
                    ["aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "express"],
                    ["aws:cloudwatch/logGroup:LogGroup", "express"],
                ]) {
                    assert.ok(waitDeps.includes(urn(run, type, name)), `the wait does not depend on ${type} ${name}`);
                }
            });

            it("waits for the service by its own name, in its cluster and the stack's region", () => {
                const wait = run.one<DrainWaitState>(waitType);
                const express = run.one<{ serviceName: string; cluster: string }>(expressType);
                assert.strictEqual(express.inputs.serviceName, wait.inputs.serviceName);
                assert.match(wait.inputs.serviceName, /^express-[0-9a-f]{8}$/);
                assert.strictEqual(wait.inputs.clusterName, express.inputs.cluster);
                assert.strictEqual(wait.inputs.region, "us-east-1");
                assert.deepStrictEqual([wait.inputs.timeoutMinutes, wait.inputs.pollSeconds], [20, 15]);
            });
        });
    }

    describe("the wait (DescribeServices, mocked)", () => {
        beforeEach(() => ecsMock.reset());

        it("polls while the service is DRAINING and returns once it is INACTIVE", async () => {
            ecsMock
                .on(DescribeServicesCommand)
                .resolvesOnce(answer("DRAINING"))
                .resolvesOnce(answer("DRAINING"))
                .resolves(answer("INACTIVE"));
            const clock = fakeClock();
            assert.strictEqual(await waitUntilServiceInactive(new ECSClient({}), target, settings, clock), "inactive");
            assert.deepStrictEqual(clock.slept, [15_000, 15_000]);
            const calls = ecsMock.commandCalls(DescribeServicesCommand);
            assert.strictEqual(calls.length, 3);
            assert.deepStrictEqual(calls[0].args[0].input, {
                cluster: target.clusterName,
                services: [target.serviceName],
            });
        });

        it("gives up after the timeout with a message that says what to do", async () => {
            ecsMock.on(DescribeServicesCommand).resolves(answer("DRAINING"));
            const clock = fakeClock();
            await assert.rejects(
                waitUntilServiceInactive(new ECSClient({}), target, settings, clock),
                /ECS service express-1a2b3c4d in cluster express-0a1b2c3 is still DRAINING after 1 minutes, so its roles and cluster were not deleted: run the destroy again once `aws ecs describe-services --cluster express-0a1b2c3 --services express-1a2b3c4d` reports INACTIVE/,
            );
            // Asked at 0, 15, 30, 45 and 60 seconds: the last answer came at the deadline.
            assert.strictEqual(ecsMock.commandCalls(DescribeServicesCommand).length, 5);
            assert.strictEqual(clock.now(), 60_000);
        });

        it("is done when ECS no longer knows the service or its cluster", async () => {
            ecsMock.on(DescribeServicesCommand).resolves(answer(undefined));
            assert.strictEqual(
                await waitUntilServiceInactive(new ECSClient({}), target, settings, fakeClock()),
                "gone",
            );
            ecsMock
                .on(DescribeServicesCommand)
                .rejects(Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" }));
            assert.strictEqual(
                await waitUntilServiceInactive(new ECSClient({}), target, settings, fakeClock()),
                "gone",
            );
        });

        it("does not wait for a service that is ACTIVE, which is not being deleted", async () => {
            ecsMock.on(DescribeServicesCommand).resolves(answer("ACTIVE"));
            const clock = fakeClock();
            assert.strictEqual(await waitUntilServiceInactive(new ECSClient({}), target, settings, clock), "active");
            assert.deepStrictEqual(clock.slept, []);
        });

        it("passes any other error on, so the destroy stops before the roles", async () => {
            ecsMock.on(DescribeServicesCommand).rejects(
                Object.assign(new Error("not authorized to perform: ecs:DescribeServices"), {
                    name: "AccessDeniedException",
                }),
            );
            await assert.rejects(
                waitUntilServiceInactive(new ECSClient({}), target, settings, fakeClock()),
                /not authorized to perform: ecs:DescribeServices/,
            );
        });
    });

    describe("the provider, as Pulumi serializes it into the state", () => {
        const state: DrainWaitState = { region: "eu-west-1", ...target, timeoutMinutes: 20, pollSeconds: 15 };

        beforeEach(() => ecsMock.reset());

        it("deletes by waiting with the region of the state, as `pulumi destroy` runs it", async () => {
            const run = await everyRuntimeRun("dev");
            const serialized = run.one(waitType).inputs.__provider;
            assert.strictEqual(typeof serialized, "string");
            // What the dynamic provider host does with it (@pulumi/pulumi cmd/dynamic-provider, getProvider).
            const loadFromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
            const requireFromString = loadFromPulumi("require-from-string") as (
                code: string,
                filename: string,
            ) => { handler: () => pulumi.dynamic.ResourceProvider };
            const provider = requireFromString(serialized as string, path.join(projectRoot, "__provider.js")).handler();
            ecsMock.on(DescribeServicesCommand).resolves(answer("INACTIVE"));
            await provider.delete?.(`${target.clusterName}/${target.serviceName}`, state);
            const [call] = ecsMock.commandCalls(DescribeServicesCommand);
            assert.deepStrictEqual(call.args[0].input, { cluster: target.clusterName, services: [target.serviceName] });
            assert.strictEqual(await (call.thisValue as ECSClient).config.region(), "eu-west-1");
        });

        it("needs @aws-sdk/client-ecs at deploy time, so it is a dependency, not a devDependency", () => {
            const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
                dependencies: Record<string, string>;
            };
            assert.ok("@aws-sdk/client-ecs" in manifest.dependencies);
        });

        it("replaces the wait when it would name another service, and only updates it for new bounds", async () => {
            const diff = drainWaitProvider.diff;
            assert.ok(diff);
            assert.deepStrictEqual(await diff("id", state, { ...state, serviceName: "express-99999999" }), {
                changes: true,
                replaces: ["serviceName"],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await diff("id", state, { ...state, timeoutMinutes: 30 }), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await diff("id", state, state), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });
    });
});
