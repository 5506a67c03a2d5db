import * as assert from "assert";
import { evaluatePolicies, hasMandatoryViolations, PolicyViolation, ResourceSnapshot } from "./run";
import { policies } from "../policies";
import { eksRun, everyRuntimeRun, ProgramRun, projectName, runProgram, stackRun } from "../../tests/harness";

/**
 * The registered resources as the policy pack sees them. The mocks' state holds the inputs
 * plus the computed outputs, which serves both resource policies (inputs) and stack
 * policies (outputs); the id is added so node groups can find launch templates by id.
 */
function policySnapshots(run: ProgramRun): ResourceSnapshot[] {
    return run.resources
        .filter((resource) => resource.custom)
        .map((resource) => ({
            type: resource.type,
            name: resource.name,
            urn: `urn:pulumi:${run.stack}::${projectName}::${resource.type}::${resource.name}`,
            props: { ...resource.state, id: resource.id },
        }));
}

const mandatory = (violations: PolicyViolation[]) =>
    violations.filter((violation) => violation.enforcementLevel === "mandatory");

describe("graviton-guard over what the program registers", () => {
    for (const stack of ["dev", "prod"]) {
        it(`finds no violation at all in the ${stack} stack`, async () => {
            const run = await stackRun(stack);
            const violations = await evaluatePolicies(policySnapshots(run));
            assert.deepStrictEqual(violations, []);
        });

        it(`finds no violation in the ${stack} stack with every runtime on`, async () => {
            const violations = await evaluatePolicies(policySnapshots(await everyRuntimeRun(stack)));
            assert.deepStrictEqual(violations, []);
        });

        it(`finds no violation in the ${stack} stack with EKS on, whose node group it judges`, async () => {
            const snapshots = policySnapshots(await eksRun(stack));
            assert.deepStrictEqual(
                snapshots.filter((snapshot) => snapshot.type === "aws:eks/nodeGroup:NodeGroup").map((s) => s.name),
                ["eks-graviton"],
            );
            assert.deepStrictEqual(await evaluatePolicies(snapshots), []);
            // Even a pack that demands Graviton everywhere passes it.
            const requireGraviton = { "eks-nodegroup-architecture-match": { requireGraviton: true } };
            assert.deepStrictEqual(await evaluatePolicies(snapshots, { config: requireGraviton }), []);
        });
    }

    it("sees every kind of resource the pack judges in the program", async () => {
        const types = new Set(policySnapshots(await everyRuntimeRun("dev")).map((snapshot) => snapshot.type));
        for (const type of [
            "aws:lambda/function:Function",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:apprunner/service:Service",
            "docker-build:index:Image",
            "docker-build:index:Index",
        ]) {
            assert.ok(
                types.has(type),
                `the program registers no ${type}, so the integration test proves nothing about it`,
            );
        }
    });

    it("rejects the program with an x86 Lambda added, naming the function and the fix", async () => {
        const run = await runProgram("dev", { entry: "tests/fixtures/x86Lambda.ts" });
        const violations = await evaluatePolicies(policySnapshots(run));
        assert.ok(hasMandatoryViolations(violations));
        const [violation, image, ...others] = mandatory(violations);
        assert.deepStrictEqual(others, []);
        assert.strictEqual(violation.policyName, "lambda-arm64-only");
        assert.match(
            violation.message,
            /Lambda function "legacy-report": architectures is unset, so Lambda runs the function on x86_64/,
        );
        assert.match(violation.message, /Fix: set architectures: \["arm64"\]/);
        // The x86_64 function also runs the arm64 child image, a second known conflict.
        assert.strictEqual(image.policyName, "lambda-image-architecture-match");
        assert.match(
            image.message,
            /"legacy-report": it runs on x86_64, but its image is docker-build Image "app-arm64"/,
        );
    });

    it("rejects the program with a Graviton node group on EKS's default x86 AMI", async () => {
        const run = await runProgram("dev", { entry: "tests/fixtures/mismatchedNodeGroup.ts" });
        const violations = await evaluatePolicies(policySnapshots(run));
        const [violation, ...others] = mandatory(violations);
        assert.deepStrictEqual(others, []);
        assert.strictEqual(violation.policyName, "eks-nodegroup-architecture-match");
        assert.match(violation.message, /batch-nodes/);
        assert.match(violation.message, /AL2023_ARM_64_STANDARD|ARM_64/);
    });

    it("accepts the broken variants once they are exempted with a reason, and keeps the exemption visible", async () => {
        const run = await runProgram("dev", { entry: "tests/fixtures/x86Lambda.ts" });
        const exemptions = [{ resourceName: "legacy-report", reason: "vendor SDK ships x86 binaries only; OPS-42" }];
        const config = {
            "lambda-arm64-only": { exemptions },
            "lambda-image-architecture-match": { exemptions },
            "graviton-exemptions-in-use": { exemptions },
        };
        const violations = await evaluatePolicies(policySnapshots(run), { config });
        assert.deepStrictEqual(mandatory(violations), []);
        const advisories = violations.filter((violation) => violation.policyName === "graviton-exemptions-in-use");
        assert.strictEqual(advisories.length, 1);
        assert.match(advisories[0].message, /OPS-42/);
    });

    it("runs every policy of the pack", () => {
        assert.deepStrictEqual(policies.map((policy) => policy.name).sort(), [
            "batch-compute-environment-architecture-match",
            "batch-compute-environment-architecture-unknown",
            "batch-job-definition-declares-architecture",
            "batch-job-definition-graviton",
            "codebuild-project-architecture-match",
            "codebuild-project-architecture-unknown",
            "docker-build-image-includes-arm64",
            "ec2-ami-architecture-match",
            "ec2-ami-architecture-unknown",
            "ecs-service-capacity-architecture-match",
            "ecs-service-capacity-architecture-unknown",
            "ecs-task-definition-declares-architecture",
            "eks-nodegroup-architecture-match",
            "eks-nodegroup-architecture-unknown",
            "emr-serverless-application-architecture-unknown",
            "emr-serverless-application-graviton",
            "graviton-exemptions-in-use",
            "images-pinned-by-digest",
            "lambda-arm64-only",
            "lambda-capacity-provider-architecture-match",
            "lambda-capacity-provider-architecture-unknown",
            "lambda-image-architecture-match",
            "lambda-image-architecture-unknown",
            "lambda-layer-architecture-match",
            "lambda-layer-architecture-unknown",
        ]);
    });
});
