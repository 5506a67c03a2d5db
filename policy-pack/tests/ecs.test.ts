import * as assert from "node:assert/strict";
import { ecsTaskDefinitionDeclaresArchitecture } from "../ecs";
import { ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION } from "../resourceTypes";
import { ResourceCase, UNKNOWN, runResourcePolicy } from "./args";

// A Fargate task definition that passes; each case changes one property.
function fargateTask(props: Record<string, unknown> = {}, config?: Record<string, unknown>): ResourceCase {
    return {
        type: ECS_TASK_DEFINITION,
        name: "api-arm-task",
        props: {
            family: "api-arm",
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "256",
            memory: "512",
            runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
            containerDefinitions: JSON.stringify([{ name: "app", image: "public.ecr.aws/example/app:1" }]),
            ...props,
        },
        config,
    };
}

describe("policy ecs-task-definition-declares-architecture", () => {
    it("passes a Fargate task that declares ARM64", async () => {
        assert.deepEqual(
            (await runResourcePolicy(ecsTaskDefinitionDeclaresArchitecture, fargateTask())).violations,
            [],
        );
    });

    it("passes a Fargate task that declares X86_64 explicitly", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" } }),
        );
        assert.deepEqual(result.violations, []);
    });

    it("rejects a Fargate task without runtimePlatform, which silently runs X86_64", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ runtimePlatform: undefined }),
        );
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /ECS task definition "api-arm-task": requiresCompatibilities includes FARGATE but runtimePlatform.cpuArchitecture is unset, so Fargate runs the task on X86_64/,
        );
        assert.match(
            result.violations[0],
            /Fix: set runtimePlatform: \{ cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" \}/,
        );
    });

    it("rejects a runtimePlatform that names only the operating system", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ runtimePlatform: { operatingSystemFamily: "LINUX" } }),
        );
        assert.equal(result.violations.length, 1);
    });

    it("rejects a value ECS does not accept (lower-case arm64)", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ runtimePlatform: { cpuArchitecture: "arm64" } }),
        );
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /"arm64", which ECS does not accept/);
    });

    it("applies when FARGATE is one of several compatibilities", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ requiresCompatibilities: ["EC2", "FARGATE"], runtimePlatform: undefined }),
        );
        assert.equal(result.violations.length, 1);
    });

    it("is not applicable to an EC2-only task definition", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ requiresCompatibilities: ["EC2"], runtimePlatform: undefined }),
        );
        assert.equal(result.notApplicable, true);
    });

    it("is not applicable to other resource types", async () => {
        const result = await runResourcePolicy(ecsTaskDefinitionDeclaresArchitecture, {
            type: "aws:ecs/service:Service",
            props: {},
        });
        assert.equal(result.notApplicable, true);
    });

    it("honours an exemption naming the task definition", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask(
                { runtimePlatform: undefined },
                { exemptions: [{ resourceName: "api-arm-task", reason: "third-party sidecar is amd64-only" }] },
            ),
        );
        assert.deepEqual(result.violations, []);
    });

    it("leaves an unknown cpuArchitecture to the engine's preview advisory", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ runtimePlatform: { cpuArchitecture: UNKNOWN.string } }),
        );
        assert.deepEqual(result.violations, []);
        assert.match(result.unknownDuringPreview ?? "", /runtimePlatform\.cpuArchitecture/);
    });

    it("rejects an aws-native task definition without cpuArchitecture, and passes it with one", async () => {
        const native = (props: Record<string, unknown>) => ({
            ...fargateTask(props),
            type: NATIVE_ECS_TASK_DEFINITION,
        });
        const unset = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            native({ runtimePlatform: undefined }),
        );
        assert.equal(unset.violations.length, 1);
        assert.match(unset.violations[0], /Fargate runs the task on X86_64/);
        assert.deepEqual((await runResourcePolicy(ecsTaskDefinitionDeclaresArchitecture, native({}))).violations, []);
    });

    it("says, with MANAGED_INSTANCES beside FARGATE, that the unset architecture depends on placement", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ requiresCompatibilities: ["FARGATE", "MANAGED_INSTANCES"], runtimePlatform: undefined }),
        );
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /requiresCompatibilities includes FARGATE and MANAGED_INSTANCES but runtimePlatform.cpuArchitecture is unset, so the architecture depends on where ECS places each task, and on Fargate it is X86_64/,
        );
    });

    it("passes FARGATE beside MANAGED_INSTANCES once cpuArchitecture is declared", async () => {
        const result = await runResourcePolicy(
            ecsTaskDefinitionDeclaresArchitecture,
            fargateTask({ requiresCompatibilities: ["FARGATE", "MANAGED_INSTANCES"] }),
        );
        assert.deepEqual(result.violations, []);
    });
});
