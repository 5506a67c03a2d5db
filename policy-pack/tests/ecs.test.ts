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

describe("policy ecs-task-definition-declares-architecture with requireGraviton", () => {
    const REQUIRE = { requireGraviton: true };
    const X86 = { runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" } };
    const run = (props: Record<string, unknown>, config?: Record<string, unknown>, type = ECS_TASK_DEFINITION) =>
        runResourcePolicy(ecsTaskDefinitionDeclaresArchitecture, { ...fargateTask(props, config), type });

    it("rejects a Fargate task that declares X86_64, for both tokens, and passes it without the switch", async () => {
        for (const type of [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION]) {
            assert.deepEqual((await run(X86, undefined, type)).violations, [], type);
            const result = await run(X86, REQUIRE, type);
            assert.equal(result.violations.length, 1, type);
            assert.match(
                result.violations[0],
                /ECS task definition "api-arm-task": runtimePlatform.cpuArchitecture is "X86_64". Required: requireGraviton is set, so every Fargate and Managed Instances task definition must declare runtimePlatform.cpuArchitecture "ARM64". Fix: set runtimePlatform: \{ cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" \} and run an image that includes linux\/arm64; .*exemptions config/,
            );
        }
    });

    it("rejects a Fargate task without cpuArchitecture as X86_64, asking for ARM64 only", async () => {
        const result = await run({ runtimePlatform: undefined }, REQUIRE);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /unset, so Fargate runs the task on X86_64. Required: requireGraviton is set/,
        );
        assert.doesNotMatch(result.violations[0], /or "X86_64"/);
    });

    it("passes a Fargate task that declares ARM64", async () => {
        assert.deepEqual((await run({}, REQUIRE)).violations, []);
    });

    it("judges a Managed Instances task definition only with the switch: X86_64 and unset fail, ARM64 passes", async () => {
        const managed = { requiresCompatibilities: ["MANAGED_INSTANCES"] };
        assert.equal((await run({ ...managed, ...X86 })).notApplicable, true);
        assert.equal((await run({ ...managed, runtimePlatform: undefined })).notApplicable, true);
        for (const type of [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION]) {
            const declared = await run({ ...managed, ...X86 }, REQUIRE, type);
            assert.equal(declared.violations.length, 1, type);
            assert.match(declared.violations[0], /runtimePlatform.cpuArchitecture is "X86_64"/);
            const unset = await run({ ...managed, runtimePlatform: undefined }, REQUIRE, type);
            assert.equal(unset.violations.length, 1, type);
            assert.match(
                unset.violations[0],
                /requiresCompatibilities is MANAGED_INSTANCES and runtimePlatform.cpuArchitecture is unset, so nothing declares that its tasks run on ARM64/,
            );
            assert.deepEqual((await run(managed, REQUIRE, type)).violations, [], type);
        }
    });

    it("leaves EC2-only task definitions to the capacity policy", async () => {
        assert.equal((await run({ requiresCompatibilities: ["EC2"], ...X86 }, REQUIRE)).notApplicable, true);
    });

    it("honours an exemption", async () => {
        const exempt = {
            ...REQUIRE,
            exemptions: [{ resourceName: "api-arm-task", reason: "vendor agent ships amd64 only" }],
        };
        assert.deepEqual((await run(X86, exempt)).violations, []);
    });
});
