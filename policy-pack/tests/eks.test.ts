import * as assert from "node:assert/strict";
import { eksNodeGroupArchitectureMatch, eksNodeGroupArchitectureUnknown } from "../eks";
import { EC2_LAUNCH_TEMPLATE, EKS_NODE_GROUP } from "../resourceTypes";
import { ResourceSnapshot, UNKNOWN, resource, runStackPolicy } from "./args";

// A Graviton node group that passes; each case changes one property.
function nodeGroup(
    props: Record<string, unknown> = {},
    dependsOn: Record<string, ResourceSnapshot[]> = {},
): ResourceSnapshot {
    return resource(
        EKS_NODE_GROUP,
        "graviton-nodes",
        {
            clusterName: "demo",
            nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
            subnetIds: ["subnet-1", "subnet-2"],
            scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 },
            instanceTypes: ["m7g.large"],
            amiType: "AL2023_ARM_64_STANDARD",
            ...props,
        },
        dependsOn,
    );
}

function launchTemplate(props: Record<string, unknown> = {}): ResourceSnapshot {
    return resource(EC2_LAUNCH_TEMPLATE, "nodes-lt", {
        id: "lt-0123456789abcdef0",
        name: "nodes-lt-5f3a2c1",
        instanceType: "m7g.large",
        ...props,
    });
}

const match = (resources: ResourceSnapshot[], config?: Record<string, unknown>) =>
    runStackPolicy(eksNodeGroupArchitectureMatch, { resources, config });
const unknown = (resources: ResourceSnapshot[]) => runStackPolicy(eksNodeGroupArchitectureUnknown, { resources });

describe("policy eks-nodegroup-architecture-match", () => {
    it("passes Graviton instance types with an ARM_64 AMI type", async () => {
        assert.deepEqual((await match([nodeGroup()])).violations, []);
    });

    it("passes a consistent x86_64 node group when requireGraviton is off (the default)", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["m5.large"], amiType: "AL2023_x86_64_STANDARD" })]);
        assert.deepEqual(result.violations, []);
    });

    it("passes the GPU Graviton family g5g with an ARM_64 NVIDIA AMI", async () => {
        assert.deepEqual(
            (await match([nodeGroup({ instanceTypes: ["g5g.xlarge"], amiType: "AL2023_ARM_64_NVIDIA" })])).violations,
            [],
        );
    });

    it("rejects instance types of both architectures in one node group", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["m7g.large", "m5.large"] })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /EKS node group "graviton-nodes": instanceTypes mix arm64 \(m7g.large\) and x86_64 \(m5.large\)/,
        );
        assert.match(result.violations[0], /Fix: split them into one node group per architecture/);
        assert.equal(result.urns[0], nodeGroup().urn);
    });

    it("rejects Graviton instance types without amiType, because EKS defaults to an x86_64 AMI", async () => {
        const result = await match([nodeGroup({ amiType: undefined })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /instance types m7g.large are arm64 but amiType is unset, so EKS uses an x86_64 AMI/,
        );
        assert.match(result.violations[0], /Fix: set amiType to an ARM_64 type such as AL2023_ARM_64_STANDARD/);
    });

    it("rejects an ARM_64 AMI type without instance types, because EKS defaults to t3.medium", async () => {
        const result = await match([nodeGroup({ instanceTypes: undefined })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /instanceTypes is unset, so EKS launches t3.medium \(x86_64\) but amiType AL2023_ARM_64_STANDARD is arm64/,
        );
        assert.match(result.violations[0], /Fix: set instanceTypes to Graviton types/);
    });

    it("rejects x86_64 instance types with an ARM_64 AMI type", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["c6i.xlarge"] })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /instance types c6i.xlarge are x86_64 but amiType AL2023_ARM_64_STANDARD is arm64/,
        );
    });

    it("rejects the x86 GPU family g5 with an ARM_64 NVIDIA AMI", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["g5.xlarge"], amiType: "AL2023_ARM_64_NVIDIA" })]);
        assert.equal(result.violations.length, 1);
    });

    it("reports a definite conflict even when another instance type is unrecognised", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["m5.large", "m7g.huge"] })]);
        assert.equal(result.violations.length, 1);
    });

    it("with requireGraviton, rejects a consistent x86_64 node group", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["m5.large"], amiType: "AL2023_x86_64_STANDARD" })], {
            requireGraviton: true,
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /it runs x86_64 instance types \(m5.large\). Required: requireGraviton is set, so every node group must be arm64/,
        );
    });

    it("with requireGraviton, rejects the default t3.medium node group", async () => {
        const result = await match([nodeGroup({ instanceTypes: undefined, amiType: undefined })], {
            requireGraviton: true,
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /t3.medium/);
    });

    it("with requireGraviton, rejects x86_64 instance types even when the AMI is CUSTOM", async () => {
        const result = await match([nodeGroup({ instanceTypes: ["m5.large"], amiType: "CUSTOM" })], {
            requireGraviton: true,
        });
        assert.equal(result.violations.length, 1);
    });

    it("with requireGraviton, passes a Graviton node group", async () => {
        assert.deepEqual((await match([nodeGroup()], { requireGraviton: true })).violations, []);
    });

    it("reads the instance type from a launch template in the stack, matched by id", async () => {
        const template = launchTemplate({ instanceType: "m5.large" });
        const result = await match([
            template,
            nodeGroup({ instanceTypes: undefined, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /the launch template's instance type m5.large is x86_64 but amiType AL2023_ARM_64_STANDARD is arm64/,
        );
    });

    it("passes a node group whose launch template (matched by name) sets a Graviton instance type", async () => {
        const result = await match([
            launchTemplate(),
            nodeGroup({ instanceTypes: undefined, launchTemplate: { name: "nodes-lt-5f3a2c1", version: "$Latest" } }),
        ]);
        assert.deepEqual(result.violations, []);
    });

    it("during preview, finds a new launch template through the engine's property dependencies", async () => {
        const template = launchTemplate({ id: UNKNOWN.string, instanceType: "c6i.large" });
        const group = nodeGroup(
            { instanceTypes: undefined, launchTemplate: { id: UNKNOWN.string, version: UNKNOWN.string } },
            { launchTemplate: [template] },
        );
        const result = await match([template, group]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /c6i.large is x86_64/);
    });

    it("treats a launch template without an instance type as the EKS default t3.medium", async () => {
        const template = launchTemplate({ instanceType: undefined });
        const result = await match([
            template,
            nodeGroup({ instanceTypes: undefined, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /t3.medium/);
    });

    it("stays silent where the architecture cannot be known (left to eks-nodegroup-architecture-unknown)", async () => {
        const cases = [
            nodeGroup({ amiType: "CUSTOM" }),
            nodeGroup({ instanceTypes: ["m7g.huge"] }),
            nodeGroup({ instanceTypes: undefined, launchTemplate: { id: "lt-elsewhere", version: "1" } }),
        ];
        for (const group of cases) {
            const result = await match([group]);
            assert.deepEqual(result.violations, [], JSON.stringify(group.props));
            assert.equal(result.unknownDuringPreview, undefined);
        }
    });

    it("honours an exemption naming the node group", async () => {
        const config = {
            exemptions: [{ resourceName: "graviton-nodes", reason: "vendor agent ships x86 only" }],
            requireGraviton: true,
        };
        assert.deepEqual((await match([nodeGroup({ amiType: undefined })], config)).violations, []);
    });

    it("judges each node group on its own", async () => {
        const good = nodeGroup();
        const bad = {
            ...nodeGroup({ amiType: undefined }),
            name: "other-nodes",
            urn: "urn:pulumi:dev::graviton-multiarch::aws:eks/nodeGroup:NodeGroup::other-nodes",
        };
        const result = await match([good, bad]);
        assert.equal(result.violations.length, 1);
        assert.equal(result.urns[0], bad.urn);
    });

    it("judges an unknown without property dependencies as the provider's default, i.e. unset (first preview)", async () => {
        const result = await match([nodeGroup({ instanceTypes: UNKNOWN.array })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /instanceTypes is unset, so EKS launches t3.medium/);
    });

    it("is not applicable to a stack without node groups", async () => {
        assert.equal((await match([launchTemplate()])).notApplicable, true);
    });
});

describe("policy eks-nodegroup-architecture-unknown", () => {
    it("says nothing about a node group whose architecture is known", async () => {
        assert.deepEqual((await unknown([nodeGroup()])).violations, []);
        assert.deepEqual((await unknown([nodeGroup({ amiType: undefined })])).violations, []);
    });

    it("reports a CUSTOM AMI type", async () => {
        const result = await unknown([nodeGroup({ amiType: "CUSTOM" })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /EKS node group "graviton-nodes": its architecture cannot be verified: amiType is CUSTOM/,
        );
        assert.match(result.violations[0], /Fix: /);
    });

    it("reports a launch template that sets its own AMI (imageId)", async () => {
        const template = launchTemplate({ imageId: "ami-0abcdef1234567890" });
        const result = await unknown([
            template,
            nodeGroup({
                amiType: undefined,
                instanceTypes: undefined,
                launchTemplate: { id: "lt-0123456789abcdef0", version: "1" },
            }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /the launch template sets imageId/);
    });

    it("reports an unrecognised instance type", async () => {
        const result = await unknown([nodeGroup({ instanceTypes: ["m7g.huge"] })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /m7g.huge is not a recognised EC2 instance type/);
    });

    it("reports a launch template that is not in the stack", async () => {
        const result = await unknown([
            nodeGroup({ instanceTypes: undefined, launchTemplate: { id: "lt-elsewhere", version: "1" } }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /launch template is not in this stack/);
    });

    it("reports instance types that come from another resource's output not known during preview, without crashing", async () => {
        const parameter = resource("aws:ssm/parameter:Parameter", "node-types", { value: UNKNOWN.string });
        const group = nodeGroup({ instanceTypes: UNKNOWN.array }, { instanceTypes: [parameter] });
        assert.deepEqual((await match([parameter, group])).violations, []);
        const result = await unknown([parameter, group]);
        assert.equal(result.unknownDuringPreview, undefined);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /instanceTypes is not known until the update runs/);
    });
});

describe("EKS node groups whose launch template sets imageId (the AMI evaluator of amis.ts)", () => {
    const ARM = "resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id";
    const X86 =
        "resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";
    // A passing node group: Graviton types, no amiType, the AMI from its template's arm64 SSM parameter.
    const stack = (imageId: unknown, instanceTypes: string[] = ["m7g.large"]) => [
        launchTemplate({ imageId, instanceType: undefined }),
        nodeGroup({ amiType: undefined, instanceTypes, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } }),
    ];

    it("passes Graviton instance types with an arm64 SSM parameter in the template", async () => {
        assert.deepEqual((await match(stack(ARM))).violations, []);
        assert.deepEqual((await unknown(stack(ARM))).violations, []);
    });

    it("rejects Graviton instance types with an x86_64 SSM parameter in the template", async () => {
        const result = await match(stack(X86));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /instance types m7g.large are arm64 but the launch template's AMI is x86_64 \(SSM parameter/,
        );
        assert.match(result.violations[0], /Fix: use an arm64 AMI in the launch template/);
    });

    it("rejects x86_64 instance types with an arm64 SSM parameter in the template", async () => {
        const result = await match(stack(ARM, ["m5.large"]));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /instance types m5.large are x86_64 but the launch template's AMI is arm64/);
    });

    it("reads an AMI id from amiArchitectures", async () => {
        const config = { amiArchitectures: { "ami-0abcdef1234567890": "x86_64" } };
        const result = await runStackPolicy(eksNodeGroupArchitectureMatch, {
            resources: stack("ami-0abcdef1234567890"),
            config,
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /amiArchitectures config/);
    });

    it("reads the AMI of an aws.ec2.Ami in the stack", async () => {
        const ami = resource("aws:ec2/ami:Ami", "nodes-ami", { id: UNKNOWN, architecture: "x86_64" });
        const template = resource(
            EC2_LAUNCH_TEMPLATE,
            "nodes-lt",
            { id: "lt-0123456789abcdef0", imageId: UNKNOWN },
            { imageId: [ami] },
        );
        const group = nodeGroup({ amiType: undefined, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } });
        assert.equal((await match([ami, template, group])).violations.length, 1);
    });

    it("keeps an unrecognised SSM parameter advisory, saying why", async () => {
        const path = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        assert.deepEqual((await match(stack(path))).violations, []);
        const result = await unknown(stack(path));
        assert.match(
            result.violations[0],
            /the launch template sets imageId \(SSM parameter .* is not a public AMI parameter/,
        );
    });
});
