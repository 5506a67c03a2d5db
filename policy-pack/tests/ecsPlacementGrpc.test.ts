// The ECS placement policies and the aws-native task definition, as the Pulumi CLI runs the pack: over the Analyzer
// gRPC protocol (harness/policyAnalyzer/), in a first-preview shape (unknown ARNs and ids, links recorded as property
// dependencies) and in an update shape (every value known).

import * as assert from "node:assert/strict";
import {
    AnalysisResult,
    Diagnostic,
    EngineResource,
    PackConfigFile,
    PolicyPackSession,
    UNKNOWN,
} from "../../harness/policyAnalyzer";
import { packConfig } from "../policies";
import { projectName } from "../../tests/harness";
import { engineResource, urn } from "./engine";
import { packSession } from "./sessions";

const SERVICE = "aws:ecs/service:Service";
const NATIVE_SERVICE = "aws-native:ecs:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const NATIVE_TASK = "aws-native:ecs:TaskDefinition";
const PROVIDER = "aws:ecs/capacityProvider:CapacityProvider";
const GROUP = "aws:autoscaling/group:Group";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/api-arm:3";
const ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/nodes";
const TEMPLATE_ID = "lt-0abc0abc0abc0abc0";

type Shape = "preview" | "update";

/**
 * An ARM64 service on an EC2 capacity provider whose launch template names `instanceType`. In a first preview
 * the ARNs and ids are unknown and each link is recorded as a property dependency, as the engine sends them.
 */
function placementStack(
    shape: Shape,
    instanceType: string,
    options: { serviceType?: string; withGroup?: boolean } = {},
): EngineResource[] {
    const known = shape === "update";
    const template = engineResource(TEMPLATE, "nodes-lt", {
        id: known ? TEMPLATE_ID : UNKNOWN,
        name: "nodes-lt",
        instanceType,
    });
    const group = engineResource(
        GROUP,
        "nodes",
        {
            arn: known ? ASG_ARN : UNKNOWN,
            name: "nodes",
            launchTemplate: { id: known ? TEMPLATE_ID : UNKNOWN, version: "$Latest" },
        },
        { launchTemplate: [template.urn] },
    );
    const provider = engineResource(
        PROVIDER,
        "nodes-cp",
        { name: "nodes-cp", autoScalingGroupProvider: { autoScalingGroupArn: known ? ASG_ARN : UNKNOWN } },
        { autoScalingGroupProvider: [group.urn] },
    );
    const task = engineResource(TASK, "api-arm-task", {
        arn: known ? TASK_ARN : UNKNOWN,
        family: "api-arm",
        requiresCompatibilities: ["EC2"],
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        containerDefinitions: "[]",
    });
    const serviceType = options.serviceType ?? SERVICE;
    const strategy = serviceType === NATIVE_SERVICE ? "capacityProviderStrategy" : "capacityProviderStrategies";
    const service = engineResource(
        serviceType,
        "api-arm",
        {
            taskDefinition: known ? TASK_ARN : UNKNOWN,
            [strategy]: [{ capacityProvider: "nodes-cp", weight: 1 }],
            id: known ? "api-arm" : UNKNOWN,
        },
        { taskDefinition: [task.urn], [strategy]: [provider.urn] },
    );
    return [template, ...(options.withGroup === false ? [] : [group]), provider, task, service];
}

const byPolicy = (result: AnalysisResult, level: Diagnostic["enforcementLevel"]) =>
    result.diagnostics
        .filter((diagnostic) => diagnostic.enforcementLevel === level)
        .map((diagnostic) => diagnostic.policyName);

describe("ECS placement policies over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    const sessions: Partial<Record<Shape, PolicyPackSession>> = {};
    const graviton: Partial<Record<Shape, PolicyPackSession>> = {};
    const shapes: Shape[] = ["preview", "update"];

    before(async () => {
        const config = packConfig({ requireGraviton: true }) as PackConfigFile;
        const context = { project: projectName, stack: "dev" };
        [sessions.preview, sessions.update, graviton.preview, graviton.update] = await Promise.all([
            packSession({ ...context, dryRun: true }),
            packSession({ ...context, dryRun: false }),
            packSession({ ...context, dryRun: true }, { config }),
            packSession({ ...context, dryRun: false }, { config }),
        ]);
    });

    for (const shape of shapes) {
        const session = () => sessions[shape] as PolicyPackSession;

        it(`${shape}: ecs-service-capacity-architecture-match blocks an ARM64 service on x86_64 EC2 capacity`, async () => {
            for (const serviceType of [SERVICE, NATIVE_SERVICE]) {
                const result = await session().analyzeStack(placementStack(shape, "m7i.large", { serviceType }));
                assert.deepEqual(
                    byPolicy(result, "mandatory"),
                    ["ecs-service-capacity-architecture-match"],
                    serviceType,
                );
                assert.match(
                    result.diagnostics[0].message,
                    /declares ARM64 but capacity provider "nodes-cp" launches x86_64/,
                );
                assert.equal(result.diagnostics[0].urn, urn(serviceType, "api-arm"));
            }
        });

        it(`${shape}: the same service on Graviton EC2 capacity passes without a diagnostic`, async () => {
            assert.deepEqual((await session().analyzeStack(placementStack(shape, "m7g.large"))).diagnostics, []);
        });

        it(`${shape}: ecs-service-capacity-architecture-unknown reports an Auto Scaling group outside the stack`, async () => {
            const result = await session().analyzeStack(placementStack(shape, "m7i.large", { withGroup: false }));
            assert.deepEqual(byPolicy(result, "mandatory"), []);
            assert.deepEqual(byPolicy(result, "advisory"), ["ecs-service-capacity-architecture-unknown"]);
        });

        it(`${shape}: ecs-task-definition-declares-architecture judges the aws-native task definition`, async () => {
            const unset = engineResource(NATIVE_TASK, "web", {
                requiresCompatibilities: ["FARGATE", "MANAGED_INSTANCES"],
                containerDefinitions: [],
                taskDefinitionArn: shape === "update" ? TASK_ARN : UNKNOWN,
            });
            const result = await session().analyze(unset);
            assert.deepEqual(byPolicy(result, "mandatory"), ["ecs-task-definition-declares-architecture"]);
            assert.match(result.diagnostics[0].message, /FARGATE and MANAGED_INSTANCES/);
            const declared = engineResource(NATIVE_TASK, "web", {
                ...unset.properties,
                runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
            });
            assert.deepEqual(byPolicy(await session().analyze(declared), "mandatory"), []);
        });

        it(`${shape}: with requireGraviton, ecs-task-definition-declares-architecture blocks X86_64 on Fargate and Managed Instances, which pass without it`, async () => {
            const task = (type: string, requiresCompatibilities: string[], cpuArchitecture?: string) =>
                engineResource(type, "api-amd64-task", {
                    ...(type === NATIVE_TASK
                        ? { taskDefinitionArn: shape === "update" ? TASK_ARN : UNKNOWN }
                        : { arn: shape === "update" ? TASK_ARN : UNKNOWN }),
                    family: "api-amd64",
                    requiresCompatibilities,
                    ...(cpuArchitecture
                        ? { runtimePlatform: { cpuArchitecture, operatingSystemFamily: "LINUX" } }
                        : {}),
                    containerDefinitions: "[]",
                });
            const x86Tasks = [
                task(TASK, ["FARGATE"], "X86_64"),
                task(NATIVE_TASK, ["FARGATE"], "X86_64"),
                task(TASK, ["MANAGED_INSTANCES"], "X86_64"),
                task(NATIVE_TASK, ["MANAGED_INSTANCES"]),
            ];
            for (const x86 of x86Tasks) {
                const label = `${x86.type} ${JSON.stringify(x86.properties.requiresCompatibilities)}`;
                assert.deepEqual((await session().analyze(x86)).diagnostics, [], label);
                const result = await (graviton[shape] as PolicyPackSession).analyze(x86);
                assert.deepEqual(byPolicy(result, "mandatory"), ["ecs-task-definition-declares-architecture"], label);
                assert.match(result.diagnostics[0].message, /Required: requireGraviton is set/);
            }
            const arm = task(NATIVE_TASK, ["FARGATE", "MANAGED_INSTANCES"], "ARM64");
            assert.deepEqual((await (graviton[shape] as PolicyPackSession).analyze(arm)).diagnostics, []);
        });
    }
});
