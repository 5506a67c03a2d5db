import * as assert from "node:assert/strict";
import { batchComputeEnvironmentArchitectureMatch, batchComputeEnvironmentArchitectureUnknown } from "../batch";
import { BATCH_COMPUTE_ENVIRONMENT, NATIVE_BATCH_COMPUTE_ENVIRONMENT } from "../resourceTypes";
import { ResourceCase, UNKNOWN, runResourcePolicy } from "./args";

// A Graviton EC2 compute environment that passes both policies; each case changes one property of computeResources.
function computeEnvironment(
    computeResources: Record<string, unknown> = {},
    config?: Record<string, unknown>,
    type = BATCH_COMPUTE_ENVIRONMENT,
): ResourceCase {
    return {
        type,
        name: "graviton-batch",
        props: {
            type: "MANAGED",
            serviceRole: "arn:aws:iam::123456789012:role/batch",
            computeResources: {
                type: "EC2",
                maxVcpus: 16,
                subnets: ["subnet-1"],
                securityGroupIds: ["sg-1"],
                instanceRole: "arn:aws:iam::123456789012:instance-profile/ecs",
                instanceTypes: ["m7g.large", "c7g"],
                ec2Configurations: [{ imageType: "ECS_AL2023" }],
                ...computeResources,
            },
        },
        config,
    };
}

const match = (testCase: ResourceCase) => runResourcePolicy(batchComputeEnvironmentArchitectureMatch, testCase);
const unknown = (testCase: ResourceCase) => runResourcePolicy(batchComputeEnvironmentArchitectureUnknown, testCase);

describe("policy batch-compute-environment-architecture-match", () => {
    it("passes Graviton types and a family with ECS_AL2023", async () => {
        assert.deepEqual((await match(computeEnvironment())).violations, []);
        assert.deepEqual((await unknown(computeEnvironment())).violations, []);
    });

    it("passes a consistent x86_64 environment when requireGraviton is off", async () => {
        const result = await match(computeEnvironment({ instanceTypes: ["optimal"] }));
        assert.deepEqual(result.violations, []);
    });

    it("rejects instance types of both architectures", async () => {
        const result = await match(computeEnvironment({ instanceTypes: ["m7g.large", "m5.large"] }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /Batch compute environment "graviton-batch": computeResources.instanceTypes mix arm64 \(m7g.large\) and x86_64 \(m5.large\)/,
        );
        assert.match(result.violations[0], /Required: the instance types and AMIs of a compute environment/);
        assert.match(result.violations[0], /Fix: give each architecture its own compute environment/);
    });

    it("rejects optimal beside a Graviton type, because optimal picks x86 families", async () => {
        const result = await match(computeEnvironment({ instanceTypes: ["c7g.*", "optimal"] }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /x86_64 \(the keyword optimal\); optimal picks x86 instance families only/);
    });

    it("rejects default_x86_64 beside default_arm64", async () => {
        const result = await match(computeEnvironment({ instanceTypes: ["default_arm64", "default_x86_64"] }));
        assert.equal(result.violations.length, 1);
    });

    it("rejects the x86-only image type ECS_AL2_NVIDIA with Graviton types", async () => {
        const result = await match(computeEnvironment({ ec2Configurations: [{ imageType: "ECS_AL2_NVIDIA" }] }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /computeResources.ec2Configurations\[0\].imageType ECS_AL2_NVIDIA selects x86_64 AMIs only, but instance types m7g.large, c7g are arm64/,
        );
    });

    it("judges the aws-native token and its CloudFormation-named ec2Configuration", async () => {
        const mixed = computeEnvironment(
            {
                instanceTypes: ["m7g.large"],
                ec2Configurations: undefined,
                ec2Configuration: [{ imageType: "ECS_AL2_NVIDIA" }],
            },
            undefined,
            NATIVE_BATCH_COMPUTE_ENVIRONMENT,
        );
        assert.equal((await match(mixed)).violations.length, 1);
    });

    it("with requireGraviton, rejects a consistent x86_64 environment", async () => {
        const result = await match(computeEnvironment({ instanceTypes: ["m6i.large"] }, { requireGraviton: true }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /include x86_64 types \(m6i.large\). Required: requireGraviton is set/);
    });

    it("with requireGraviton, passes a Graviton environment", async () => {
        assert.deepEqual((await match(computeEnvironment({}, { requireGraviton: true }))).violations, []);
    });

    it("honours an exemption naming the compute environment", async () => {
        const config = { exemptions: [{ resourceName: "graviton-batch", reason: "x86 vendor tool; OPS-7" }] };
        assert.deepEqual((await match(computeEnvironment({ instanceTypes: ["m7g", "m5"] }, config))).violations, []);
    });

    it("does not apply to Fargate compute environments or other resources", async () => {
        assert.equal(
            (await match(computeEnvironment({ type: "FARGATE", instanceTypes: undefined }))).notApplicable,
            true,
        );
        assert.equal((await match({ ...computeEnvironment(), type: "aws:ec2/instance:Instance" })).notApplicable, true);
    });

    it("stays silent where a fact is unknown (left to the advisory policy)", async () => {
        for (const change of [
            { instanceTypes: ["m7g.large", "q9z.large"] },
            { ec2Configurations: [{ imageType: "ECS_AL2023", imageIdOverride: "ami-0123" }] },
            { instanceTypes: UNKNOWN.array },
        ]) {
            const result = await match(computeEnvironment(change));
            assert.deepEqual(result.violations, [], JSON.stringify(change));
            assert.equal(result.unknownDuringPreview, undefined);
        }
    });
});

describe("policy batch-compute-environment-architecture-unknown", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        [
            "an unlisted instance type",
            { instanceTypes: ["m7g.large", "q9z.large"] },
            /"q9z.large" has no single Linux architecture in the pack's instance type table/,
        ],
        [
            "a Mac family, which is not a Linux architecture",
            { instanceTypes: ["mac2.metal"] },
            /"mac2.metal" has no single Linux architecture/,
        ],
        [
            "an AMI override",
            { ec2Configurations: [{ imageType: "ECS_AL2023", imageIdOverride: "ami-0123" }] },
            /imageIdOverride ami-0123 is an AMI whose architecture the stack does not show/,
        ],
        ["computeResources.imageId", { imageId: "ami-0456" }, /imageId ami-0456 is an AMI/],
        [
            "a launch template",
            { launchTemplate: { launchTemplateName: "batch-lt" } },
            /launchTemplate may supply an AMI/,
        ],
        [
            "an unrecognised image type",
            { ec2Configurations: [{ imageType: "ECS_AL2023_NVIDIA" }] },
            /imageType ECS_AL2023_NVIDIA is not one/,
        ],
        [
            "instance types not known yet",
            { instanceTypes: UNKNOWN.array },
            /instanceTypes is not known until the update runs/,
        ],
        ["no instance types", { instanceTypes: [] }, /instanceTypes is empty/],
    ];
    for (const [what, change, message] of cases) {
        it(`reports ${what}`, async () => {
            const result = await unknown(computeEnvironment(change));
            assert.equal(result.violations.length, 1, JSON.stringify(result));
            assert.match(result.violations[0], message);
            assert.match(
                result.violations[0],
                /Batch compute environment "graviton-batch": its architecture cannot be verified/,
            );
        });
    }

    it("is silent on a fully known environment, even one the mandatory policy rejects", async () => {
        assert.deepEqual((await unknown(computeEnvironment({ instanceTypes: ["m7g", "m5"] }))).violations, []);
    });
});
