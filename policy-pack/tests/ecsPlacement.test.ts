import * as assert from "node:assert/strict";
import { ecsServiceCapacityArchitectureMatch, ecsServiceCapacityArchitectureUnknown } from "../ecsPlacement";
import {
    AUTOSCALING_GROUP,
    EC2_LAUNCH_TEMPLATE,
    ECS_CAPACITY_PROVIDER,
    ECS_SERVICE,
    ECS_TASK_DEFINITION,
    NATIVE_ECS_SERVICE,
} from "../resourceTypes";
import { PolicyResult, ResourceSnapshot, UNKNOWN, resource, runStackPolicy } from "./args";

const TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/api-arm:3";
const ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/graviton";

interface Overrides {
    task?: Record<string, unknown>;
    service?: Record<string, unknown>;
    serviceType?: string;
    provider?: Record<string, unknown>;
    group?: Record<string, unknown>;
    template?: Record<string, unknown>;
    /** Leave these resources out of the stack. */
    without?: ("task" | "provider" | "group" | "template")[];
    /** A first preview: ARNs and ids unknown, links recorded as property dependencies. */
    preview?: boolean;
}

// An ARM64 service on a Graviton EC2 capacity provider that passes; each case changes one thing.
function stack(overrides: Overrides = {}): ResourceSnapshot[] {
    const preview = overrides.preview === true;
    const template = resource(EC2_LAUNCH_TEMPLATE, "graviton-lt", {
        id: preview ? UNKNOWN.string : "lt-0abc0abc0abc0abc0",
        name: "graviton-lt",
        instanceType: "m7g.large",
        ...overrides.template,
    });
    const group = resource(
        AUTOSCALING_GROUP,
        "graviton-asg",
        {
            arn: preview ? UNKNOWN.string : ASG_ARN,
            name: "graviton-asg",
            launchTemplate: { id: preview ? UNKNOWN.string : "lt-0abc0abc0abc0abc0", version: "$Latest" },
            ...overrides.group,
        },
        { launchTemplate: [template] },
    );
    const provider = resource(
        ECS_CAPACITY_PROVIDER,
        "graviton-cp",
        {
            name: "graviton-cp",
            autoScalingGroupProvider: { autoScalingGroupArn: preview ? UNKNOWN.string : ASG_ARN },
            ...overrides.provider,
        },
        { autoScalingGroupProvider: [group] },
    );
    const task = resource(ECS_TASK_DEFINITION, "api-arm-task", {
        arn: preview ? UNKNOWN.string : TASK_ARN,
        family: "api-arm",
        requiresCompatibilities: ["EC2"],
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        ...overrides.task,
    });
    const strategyProperty =
        overrides.serviceType === NATIVE_ECS_SERVICE ? "capacityProviderStrategy" : "capacityProviderStrategies";
    const service = resource(
        overrides.serviceType ?? ECS_SERVICE,
        "api-arm",
        {
            taskDefinition: preview ? UNKNOWN.string : TASK_ARN,
            [strategyProperty]: [{ capacityProvider: "graviton-cp", weight: 1 }],
            ...overrides.service,
        },
        { taskDefinition: [task], [strategyProperty]: [provider] },
    );
    const all = { task, provider, group, template };
    const without = overrides.without ?? [];
    return [
        ...(Object.entries(all) as [keyof typeof all, ResourceSnapshot][])
            .filter(([key]) => !without.includes(key))
            .map(([, snapshot]) => snapshot),
        service,
    ];
}

async function run(overrides: Overrides = {}, config?: Record<string, unknown>) {
    const resources = stack(overrides);
    return {
        match: await runStackPolicy(ecsServiceCapacityArchitectureMatch, { resources, config }),
        unknown: await runStackPolicy(ecsServiceCapacityArchitectureUnknown, { resources }),
    };
}

function assertClean({ match, unknown }: { match: PolicyResult; unknown: PolicyResult }) {
    assert.deepEqual(match.violations, []);
    assert.deepEqual(unknown.violations, []);
}

function assertAdvisory({ match, unknown }: { match: PolicyResult; unknown: PolicyResult }, reason: RegExp) {
    assert.deepEqual(match.violations, []);
    assert.equal(unknown.violations.length, 1);
    assert.match(unknown.violations[0], reason);
}

describe("policies ecs-service-capacity-architecture-match and -unknown", () => {
    it("pass an ARM64 service on a Graviton EC2 capacity provider", async () => {
        assertClean(await run());
    });

    it("reject an ARM64 task definition on x86_64 instances, naming what was found and the fix", async () => {
        const { match, unknown } = await run({ template: { instanceType: "m7i.large" } });
        assert.equal(match.violations.length, 1);
        assert.match(
            match.violations[0],
            /ECS service "api-arm": task definition "api-arm-task" declares ARM64 but capacity provider "graviton-cp" launches x86_64 instance types \(m7i.large\), so ECS finds no instance to place those tasks on and they stay PENDING/,
        );
        assert.match(match.violations[0], /Required: .* Fix: give the capacity provider's Auto Scaling group Graviton/);
        assert.equal(match.urns[0], stack()[4].urn);
        assert.deepEqual(unknown.violations, []);
    });

    it("reject an X86_64 task definition on Graviton instances", async () => {
        const { match } = await run({ task: { runtimePlatform: { cpuArchitecture: "X86_64" } } });
        assert.equal(match.violations.length, 1);
        assert.match(match.violations[0], /declares X86_64 but .* launches arm64 instance types \(m7g.large\)/);
    });

    it("judge a first preview, whose ARNs and ids are unknown, through the recorded property dependencies", async () => {
        assertClean(await run({ preview: true }));
        const { match } = await run({ preview: true, template: { instanceType: "c7i.large" } });
        assert.equal(match.violations.length, 1);
    });

    it("reject the aws-native service (capacityProviderStrategy) too", async () => {
        const { match } = await run({ serviceType: NATIVE_ECS_SERVICE, template: { instanceType: "m7i.large" } });
        assert.equal(match.violations.length, 1);
    });

    it("find the task definition by family", async () => {
        const { match } = await run({
            service: { taskDefinition: "api-arm" },
            template: { instanceType: "m7i.large" },
        });
        assert.equal(match.violations.length, 1);
    });

    it("read a mixed instances policy: one matching instance type is enough", async () => {
        const mixed = {
            launchTemplate: undefined,
            mixedInstancesPolicy: {
                launchTemplate: {
                    launchTemplateSpecification: { launchTemplateId: "lt-0abc0abc0abc0abc0" },
                    overrides: [{ instanceType: "m7i.large" }, { instanceType: "m7g.large" }],
                },
            },
        };
        assertClean(await run({ group: mixed }));
    });

    it("report an unrecognised instance type as advisory, never mandatory", async () => {
        assertAdvisory(await run({ template: { instanceType: "q9g.large" } }), /q9g.large .* not a recognised/);
    });

    it("report an Auto Scaling group outside the stack as advisory", async () => {
        assertAdvisory(
            await run({ without: ["group"], provider: { autoScalingGroupProvider: { autoScalingGroupArn: "arn:x" } } }),
            /Auto Scaling group of capacity provider "graviton-cp" is not/,
        );
    });

    it("report a launch template outside the stack as advisory", async () => {
        assertAdvisory(
            await run({ without: ["template"] }),
            /launch template of Auto Scaling group .* not in this stack/,
        );
    });

    it("report a capacity provider outside the stack as advisory", async () => {
        assertAdvisory(await run({ without: ["provider"] }), /capacity provider "graviton-cp" is not in this stack/);
    });

    it("report a Managed Instances capacity provider as advisory", async () => {
        assertAdvisory(
            await run({ provider: { autoScalingGroupProvider: undefined, managedInstancesProvider: {} } }),
            /ECS Managed Instances/,
        );
    });

    it("report a task definition outside the stack as advisory", async () => {
        assertAdvisory(await run({ without: ["task"] }), /task definition is not in this stack/);
    });

    it("pass FARGATE and FARGATE_SPOT, which run both architectures", async () => {
        for (const cpuArchitecture of ["ARM64", "X86_64"]) {
            const strategy = [
                { capacityProvider: "FARGATE", base: 1, weight: 0 },
                { capacityProvider: "FARGATE_SPOT", weight: 1 },
            ];
            assertClean(
                await run({
                    task: { runtimePlatform: { cpuArchitecture } },
                    service: { capacityProviderStrategies: strategy },
                }),
            );
        }
    });

    it("honour an exemption naming the service", async () => {
        const exemptions = [{ resourceName: "api-arm", reason: "instances are being replaced this week" }];
        const { match } = await run({ template: { instanceType: "m7i.large" } }, { exemptions });
        assert.deepEqual(match.violations, []);
    });

    it("with requireGraviton, reject EC2 capacity with x86_64 instance types even when the task matches", async () => {
        const x86 = {
            task: { runtimePlatform: { cpuArchitecture: "X86_64" } },
            template: { instanceType: "m7i.large" },
        };
        assertClean(await run(x86));
        const { match } = await run(x86, { requireGraviton: true });
        assert.equal(match.violations.length, 1);
        assert.match(match.violations[0], /requireGraviton is set/);
        assertClean(await run({}, { requireGraviton: true }));
    });

    it("are not applicable to a stack without ECS services", async () => {
        const result = await runStackPolicy(ecsServiceCapacityArchitectureMatch, { resources: stack().slice(0, 4) });
        assert.equal(result.notApplicable, true);
    });
});
