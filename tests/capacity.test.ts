import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { armCapacityProviderStrategy } from "../components/fargateCapacity";
import { ProgramRun, runProgram, stackRun } from "./harness";

type ServiceInputs = pulumi.Unwrap<aws.ecs.ServiceArgs>;
type TaskDefinitionInputs = pulumi.Unwrap<aws.ecs.TaskDefinitionArgs>;

const ns = "graviton-multiarch";

function serviceOn(run: ProgramRun, architecture: string) {
    const definition = run
        .ofType<TaskDefinitionInputs>("aws:ecs/taskDefinition:TaskDefinition")
        .find((candidate) => candidate.inputs.runtimePlatform?.cpuArchitecture === architecture);
    assert.ok(definition, `no ${architecture} task definition`);
    const service = run
        .ofType<ServiceInputs>("aws:ecs/service:Service")
        .find((candidate) => candidate.inputs.taskDefinition === definition.state.arn);
    assert.ok(service, `no service runs the ${architecture} task definition`);
    return service;
}

/** Where a service's tasks go, as ECS reads it: a launch type or a strategy (never both). */
function placement(run: ProgramRun, architecture: string) {
    const { inputs } = serviceOn(run, architecture);
    return {
        launchType: inputs.launchType,
        strategy: inputs.capacityProviderStrategies,
        forceNewDeployment: inputs.forceNewDeployment,
        platformVersion: inputs.platformVersion,
    };
}

describe("Fargate Spot for the Graviton service", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await stackRun("dev");
        prod = await stackRun("prod");
    });

    it("runs dev's ARM64 service on FARGATE_SPOT through a strategy, with no launch type beside it", () => {
        assert.deepStrictEqual(placement(dev, "ARM64"), {
            launchType: undefined,
            strategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
            forceNewDeployment: true,
            platformVersion: "LATEST",
        });
        assert.deepStrictEqual(dev.outputs.armCapacityProviderStrategy, [
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ]);
    });

    it("runs prod's ARM64 service on on-demand FARGATE through a strategy, so Spot can be turned on in place", () => {
        assert.deepStrictEqual(placement(prod, "ARM64"), {
            launchType: undefined,
            strategy: [{ capacityProvider: "FARGATE", weight: 1 }],
            forceNewDeployment: true,
            platformVersion: "LATEST",
        });
        assert.deepStrictEqual(prod.outputs.armCapacityProviderStrategy, [{ capacityProvider: "FARGATE", weight: 1 }]);
    });

    it("keeps both stacks' x86 service on the FARGATE launch type", () => {
        for (const run of [dev, prod]) {
            assert.deepStrictEqual(placement(run, "X86_64"), {
                launchType: "FARGATE",
                strategy: undefined,
                forceNewDeployment: undefined,
                platformVersion: "LATEST",
            });
        }
    });

    it("registers FARGATE and FARGATE_SPOT with the cluster in both stacks, on-demand by default", () => {
        for (const run of [dev, prod]) {
            const providers = run.one<pulumi.Unwrap<aws.ecs.ClusterCapacityProvidersArgs>>(
                "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
                "web",
            );
            assert.strictEqual(providers.inputs.clusterName, run.one("aws:ecs/cluster:Cluster", "web").state.name);
            assert.deepStrictEqual(providers.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.deepStrictEqual(providers.inputs.defaultCapacityProviderStrategies, [
                { capacityProvider: "FARGATE", weight: 1 },
            ]);
        }
    });

    it("keeps the first armSpotOnDemandBase tasks on FARGATE and sends the rest to Spot", async () => {
        const run = await runProgram("dev", {
            config: { [`${ns}:service.armSpotOnDemandBase`]: 1, [`${ns}:service.armDesiredCount`]: 2 },
        });
        assert.deepStrictEqual(placement(run, "ARM64").strategy, [
            { capacityProvider: "FARGATE", base: 1, weight: 0 },
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ]);
        assert.strictEqual(placement(run, "ARM64").launchType, undefined);
    });

    it("without Spot, places the ARM tasks on FARGATE through a strategy too", () => {
        assert.deepStrictEqual(armCapacityProviderStrategy(false, 0), [{ capacityProvider: "FARGATE", weight: 1 }]);
    });
});
