import * as assert from "node:assert/strict";
import { ssmParameterArchitecture } from "../amis";
import { ec2AmiArchitectureMatch, ec2AmiArchitectureUnknown } from "../ec2";
import {
    AUTOSCALING_GROUP,
    EC2_AMI,
    EC2_AMI_COPY,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    NATIVE_AUTOSCALING_GROUP,
    NATIVE_EC2_INSTANCE,
    NATIVE_EC2_LAUNCH_TEMPLATE,
    EC2_SPOT_FLEET_REQUEST,
    EC2_SPOT_INSTANCE_REQUEST,
    NATIVE_EC2_SPOT_FLEET,
    EC2_FLEET,
    NATIVE_EC2_FLEET,
} from "../resourceTypes";
import { ResourceSnapshot, UNKNOWN, resource, runStackPolicy } from "./args";

const ARM_SSM = "resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id";
const X86_SSM =
    "resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";

// A Graviton launch template that passes; each case changes one property.
function template(props: Record<string, unknown> = {}, name = "arm-lt"): ResourceSnapshot {
    return resource(EC2_LAUNCH_TEMPLATE, name, {
        id: `lt-${name}`,
        name: `${name}-1a2b3c`,
        instanceType: "m7g.large",
        imageId: ARM_SSM,
        ...props,
    });
}

// An instance that passes on its own instance type and AMI.
function instance(props: Record<string, unknown> = {}, dependsOn: Record<string, ResourceSnapshot[]> = {}) {
    return resource(
        EC2_INSTANCE,
        "bastion",
        {
            instanceType: "t4g.micro",
            ami: "resolve:ssm:/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id",
            ...props,
        },
        dependsOn,
    );
}

// An Auto Scaling group whose Graviton overrides boot the arm64 template's AMI.
function group(
    overrides: unknown[],
    dependsOn: Record<string, ResourceSnapshot[]> = {},
    type = AUTOSCALING_GROUP,
    launchTemplateId: string = "lt-arm-lt",
) {
    return resource(
        type,
        "workers",
        {
            maxSize: 3,
            minSize: 1,
            mixedInstancesPolicy: {
                launchTemplate: {
                    launchTemplateSpecification: { launchTemplateId, version: "$Latest" },
                    overrides,
                },
            },
        },
        dependsOn,
    );
}

const match = (resources: ResourceSnapshot[], config?: Record<string, unknown>) =>
    runStackPolicy(ec2AmiArchitectureMatch, { resources, config });
const unknown = (resources: ResourceSnapshot[], config?: Record<string, unknown>) =>
    runStackPolicy(ec2AmiArchitectureUnknown, { resources, config });

describe("AMI architectures (amis.ts)", () => {
    it("reads the architecture segment of the AWS public SSM paths it recognises", () => {
        const cases: [string, string | undefined][] = [
            ["/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id", "arm64"],
            ["/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/recommended/image_id", "x86_64"],
            ["/aws/service/eks/optimized-ami/1.29/amazon-linux-2-arm64/recommended/image_id", "arm64"],
            ["/aws/service/eks/optimized-ami/1.29/amazon-linux-2-gpu/recommended/image_id", "x86_64"],
            ["/aws/service/bottlerocket/aws-k8s-1.33-nvidia/arm64/latest/image_id", "arm64"],
            ["/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id", "x86_64"],
            ["/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id", "arm64"],
            ["/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id:12", "arm64"],
            // Not confirmed in AWS documentation, or naming no architecture: unknown, never guessed.
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", undefined],
            ["/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", undefined],
            ["/golden-ami", undefined],
        ];
        for (const [path, expected] of cases) {
            assert.equal(ssmParameterArchitecture(path)?.architecture, expected, path);
        }
    });
});

describe("policy ec2-ami-architecture-match", () => {
    it("passes a Graviton launch template with an arm64 AMI parameter", async () => {
        assert.deepEqual((await match([template()])).violations, []);
        assert.deepEqual((await unknown([template()])).violations, []);
    });

    it("rejects a launch template whose AMI parameter is x86_64", async () => {
        const result = await match([template({ imageId: X86_SSM })]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /EC2 launch template "arm-lt": instance type m7g.large runs arm64 but the AMI is x86_64 \(SSM parameter .*x86_64.*\). Required: an instance type and the AMI it boots must share one architecture. Fix: use an arm64 AMI/,
        );
        assert.match(result.violations[0], /exemptions config/);
    });

    it("rejects a launch template whose instance type is x86_64", async () => {
        const result = await match([template({ instanceType: "m5.large" })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /instance type m5.large runs x86_64 but the AMI is arm64/);
        assert.match(result.violations[0], /Fix: use a Graviton instance type/);
    });

    it("leaves a launch template without an AMI to whatever uses it", async () => {
        assert.deepEqual((await match([template({ imageId: undefined })])).violations, []);
        assert.deepEqual((await unknown([template({ imageId: undefined })])).violations, []);
    });

    it("judges the aws-native launch template under launchTemplateData", async () => {
        const native = (data: Record<string, unknown>) =>
            resource(NATIVE_EC2_LAUNCH_TEMPLATE, "native-lt", {
                launchTemplateName: "native-lt",
                launchTemplateData: { instanceType: "c7g.large", imageId: ARM_SSM, ...data },
            });
        assert.deepEqual((await match([native({})])).violations, []);
        assert.equal((await match([native({ imageId: X86_SSM })])).violations.length, 1);
    });

    it("reads the AMI of an aws.ec2.Ami in the stack, x86_64 when its architecture is unset", async () => {
        const ami = (architecture?: string) =>
            resource(EC2_AMI, "golden", { id: UNKNOWN, architecture: architecture ?? UNKNOWN });
        const withAmi = (arch?: string) => {
            const image = ami(arch);
            return [image, template({ imageId: UNKNOWN }, "arm-lt")].map((r, i) =>
                i === 1 ? resource(r.type, r.name, r.props, { imageId: [image] }) : r,
            );
        };
        assert.deepEqual((await match(withAmi("arm64"))).violations, []);
        const unset = await match(withAmi(undefined));
        assert.equal(unset.violations.length, 1);
        assert.match(unset.violations[0], /AMI "golden" \(architecture unset: x86_64\)/);
    });

    it("follows an AmiCopy to its source AMI in the stack", async () => {
        const source = resource(EC2_AMI, "golden", { id: "ami-0source", architecture: "x86_64" });
        const copy = resource(EC2_AMI_COPY, "golden-copy", { id: UNKNOWN, sourceAmiId: "ami-0source" });
        const lt = resource(
            EC2_LAUNCH_TEMPLATE,
            "arm-lt",
            { instanceType: "m7g.large", imageId: UNKNOWN },
            { imageId: [copy] },
        );
        const result = await match([source, copy, lt]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /AMI copy "golden-copy" of AMI "golden" \(x86_64\)/);
    });

    it("takes an AMI id's architecture from the amiArchitectures config", async () => {
        const lt = template({ imageId: "ami-0123456789abcdef0" });
        assert.deepEqual(
            (await match([lt], { amiArchitectures: { "ami-0123456789abcdef0": "arm64" } })).violations,
            [],
        );
        const x86 = await match([lt], { amiArchitectures: { "ami-0123456789abcdef0": "x86_64" } });
        assert.match(x86.violations[0], /AMI ami-0123456789abcdef0 \(x86_64, amiArchitectures config\)/);
    });

    it("rejects an instance whose own instance type cannot run its AMI", async () => {
        assert.deepEqual((await match([instance()])).violations, []);
        const result = await match([instance({ instanceType: "t3.micro" })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /EC2 instance "bastion": instance type t3.micro runs x86_64/);
    });

    it("rejects an instance whose type conflicts with its in-stack launch template's AMI", async () => {
        const lt = template({ instanceType: undefined });
        const inst = instance(
            { ami: UNKNOWN, instanceType: "c6i.large", launchTemplate: { id: "lt-arm-lt" } },
            { launchTemplate: [lt] },
        );
        const result = await match([lt, inst]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /EC2 instance "bastion": instance type c6i.large runs x86_64 but the AMI is arm64/,
        );
    });

    it("judges the aws-native instance's imageId", async () => {
        const native = (props: Record<string, unknown>) =>
            resource(NATIVE_EC2_INSTANCE, "native-box", { instanceType: "m7g.medium", imageId: ARM_SSM, ...props });
        assert.deepEqual((await match([native({})])).violations, []);
        assert.equal((await match([native({ instanceType: "m6i.large" })])).violations.length, 1);
    });

    it("passes Auto Scaling overrides of one architecture with the template's AMI", async () => {
        const result = await match([template(), group([{ instanceType: "m7g.large" }, { instanceType: "c7g.large" }])]);
        assert.deepEqual(result.violations, []);
    });

    it("rejects an x86_64 override that would boot the template's arm64 AMI", async () => {
        const result = await match([template(), group([{ instanceType: "m7g.large" }, { instanceType: "m5.large" }])]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /Auto Scaling group "workers": override 2: instance type m5.large runs x86_64 but the AMI is arm64/,
        );
    });

    it("passes an x86_64 override that has its own launch template with an x86_64 AMI", async () => {
        const x86 = template({ instanceType: undefined, imageId: X86_SSM }, "x86-lt");
        const result = await match([
            template(),
            x86,
            group([
                { instanceType: "m7g.large" },
                { instanceType: "m5.large", launchTemplateSpecification: { launchTemplateId: "lt-x86-lt" } },
            ]),
        ]);
        assert.deepEqual(result.violations, []);
    });

    it("never lends the group's template to an override that names one from outside the stack", async () => {
        // In a first preview the template's id is unknown and found through the property dependency.
        for (const [shape, id] of [
            ["first preview", UNKNOWN.string],
            ["update", "lt-arm-lt"],
        ]) {
            const lt = template({ id });
            const workers = group(
                [
                    { instanceType: "m7g.large" },
                    {
                        instanceType: "m6i.large",
                        launchTemplateSpecification: { launchTemplateId: "lt-0123456789abcdef0" },
                    },
                ],
                { mixedInstancesPolicy: [lt] },
                AUTOSCALING_GROUP,
                id,
            );
            assert.deepEqual((await match([lt, workers])).violations, [], shape);
            const advisory = await unknown([lt, workers]);
            assert.equal(advisory.violations.length, 1, shape);
            assert.match(
                advisory.violations[0],
                /Auto Scaling group "workers": its architecture cannot be verified: override 2: its launch template lt-0123456789abcdef0 is not in this stack/,
            );
        }
    });

    it("rejects overrides that mix architectures on one AMI even when the AMI is unknown", async () => {
        const lt = template({ imageId: "ami-0fromelsewhere" });
        const result = await match([lt, group([{ instanceType: "m7g.large" }, { instanceType: "m5.large" }])]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /mix arm64 \(m7g.large\) and x86_64 \(m5.large\)/);
    });

    it("judges aws-native Auto Scaling group overrides", async () => {
        const result = await match([template(), group([{ instanceType: "r5.large" }], {}, NATIVE_AUTOSCALING_GROUP)]);
        assert.equal(result.violations.length, 1);
    });

    it("with requireGraviton, rejects a consistent x86_64 instance", async () => {
        const x86 = instance({ instanceType: "t3.micro", ami: X86_SSM });
        assert.deepEqual((await match([x86])).violations, []);
        const result = await match([x86], { requireGraviton: true });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /it launches x86_64 instance types \(t3.micro\) and an x86_64 AMI/);
    });

    it("skips an exempted resource", async () => {
        const result = await match([instance({ instanceType: "t3.micro" })], {
            exemptions: [{ resourceName: "bastion", reason: "vendor appliance, x86 only" }],
        });
        assert.deepEqual(result.violations, []);
    });

    it("is not applicable to a stack without EC2 launch resources", async () => {
        assert.equal((await match([])).notApplicable, true);
    });
});

describe("policy ec2-ami-architecture-unknown", () => {
    it("reports an AMI id the stack and the config do not know, never as mandatory", async () => {
        const lt = template({ imageId: "ami-0fromelsewhere" });
        assert.deepEqual((await match([lt])).violations, []);
        const result = await unknown([lt]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /AMI ami-0fromelsewhere is not created in this stack/);
        assert.match(result.violations[0], /Fix: .*amiArchitectures/);
    });

    it("reports an SSM parameter whose architecture is not confirmed", async () => {
        const lt = template({
            imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
        });
        assert.deepEqual((await match([lt])).violations, []);
        assert.equal((await unknown([lt])).violations.length, 1);
    });

    it("reports an unrecognised instance type", async () => {
        const result = await unknown([instance({ instanceType: "q9g.large" })]);
        assert.match(result.violations[0], /q9g.large is not a recognised EC2 instance type/);
    });

    it("reports an instance whose launch template is outside the stack", async () => {
        const result = await unknown([instance({ ami: undefined, launchTemplate: { id: "lt-0outside" } })]);
        assert.match(result.violations[0], /launch template lt-0outside is not in this stack/);
    });

    it("reports overrides chosen by instanceRequirements", async () => {
        const result = await unknown([template(), group([{ instanceRequirements: { vcpuCount: { min: 2 } } }])]);
        assert.match(result.violations[0], /instanceRequirements/);
    });

    it("reports an AMI that is not known until the update runs", async () => {
        const parameter = resource("aws:ssm/parameter:Parameter", "ami-param", { value: UNKNOWN });
        const lt = resource(
            EC2_LAUNCH_TEMPLATE,
            "arm-lt",
            { instanceType: "m7g.large", imageId: UNKNOWN },
            { imageId: [parameter] },
        );
        assert.match((await unknown([parameter, lt])).violations[0], /not known until the update runs/);
    });
});

describe("ec2-ami-architecture-* on Spot requests", () => {
    // A Spot Fleet that passes: one launch specification and one launch template config with Graviton overrides.
    function fleet(props: Record<string, unknown> = {}) {
        return resource(EC2_SPOT_FLEET_REQUEST, "spot", {
            iamFleetRole: "arn:aws:iam::123456789012:role/spot-fleet",
            targetCapacity: 2,
            launchSpecifications: [{ instanceType: "c7g.large", ami: ARM_SSM }],
            ...props,
        });
    }

    it("passes a Spot instance request and a Spot Fleet of one architecture", async () => {
        const request = resource(EC2_SPOT_INSTANCE_REQUEST, "spot-box", { instanceType: "t4g.small", ami: ARM_SSM });
        assert.deepEqual((await match([request, fleet()])).violations, []);
        assert.deepEqual((await unknown([request, fleet()])).violations, []);
    });

    it("rejects a Spot instance request whose instance type cannot run its AMI", async () => {
        const request = resource(EC2_SPOT_INSTANCE_REQUEST, "spot-box", { instanceType: "t3.small", ami: ARM_SSM });
        const result = await match([request]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /Spot instance request "spot-box": instance type t3.small runs x86_64/);
    });

    it("rejects a Spot Fleet launch specification whose instance type cannot run its AMI", async () => {
        const result = await match([fleet({ launchSpecifications: [{ instanceType: "c6i.large", ami: ARM_SSM }] })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /Spot Fleet "spot": launch specification 1: instance type c6i.large/);
    });

    it("rejects a Spot Fleet override that boots the launch template's AMI on the other architecture", async () => {
        const configs = [
            {
                launchTemplateSpecification: { id: "lt-arm-lt", version: "1" },
                overrides: [{ instanceType: "m7g.large" }, { instanceType: "m6i.large" }],
            },
        ];
        const result = await match([
            template(),
            fleet({ launchSpecifications: undefined, launchTemplateConfigs: configs }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /launch template config 1 override 2: instance type m6i.large/);
    });

    it("judges the aws-native Spot Fleet under spotFleetRequestConfigData", async () => {
        const native = (instanceType: string) =>
            resource(NATIVE_EC2_SPOT_FLEET, "native-spot", {
                spotFleetRequestConfigData: {
                    iamFleetRole: "arn:aws:iam::123456789012:role/spot-fleet",
                    targetCapacity: 2,
                    launchSpecifications: [{ instanceType, imageId: ARM_SSM }],
                },
            });
        assert.deepEqual((await match([native("m7g.large")])).violations, []);
        assert.equal((await match([native("m5.large")])).violations.length, 1);
    });

    it("reports a Spot Fleet whose AMI the pack cannot know", async () => {
        const result = await unknown([
            fleet({ launchSpecifications: [{ instanceType: "c7g.large", ami: "ami-0unknown" }] }),
        ]);
        assert.match(
            result.violations[0],
            /Spot Fleet "spot": its architecture cannot be verified: launch specification 1: AMI ami-0unknown/,
        );
    });
});

describe("ec2-ami-architecture-* on EC2 Fleets", () => {
    // An EC2 Fleet whose launch template config runs Graviton overrides on the arm64 template's AMI.
    function ec2Fleet(overrides: unknown[], type = EC2_FLEET) {
        return resource(type, "fleet", {
            targetCapacitySpecification: { totalTargetCapacity: 2, defaultTargetCapacityType: "spot" },
            launchTemplateConfigs: [
                { launchTemplateSpecification: { launchTemplateId: "lt-arm-lt", version: "$Latest" }, overrides },
            ],
        });
    }

    it("passes Graviton overrides on the template's arm64 AMI, for both providers", async () => {
        for (const type of [EC2_FLEET, NATIVE_EC2_FLEET]) {
            const fleet = ec2Fleet([{ instanceType: "m7g.large" }, { instanceType: "c7g.large" }], type);
            assert.deepEqual((await match([template(), fleet])).violations, []);
            assert.deepEqual((await unknown([template(), fleet])).violations, []);
        }
    });

    it("rejects an override that would boot the template's arm64 AMI on x86_64, for both providers", async () => {
        for (const type of [EC2_FLEET, NATIVE_EC2_FLEET]) {
            const result = await match([
                template(),
                ec2Fleet([{ instanceType: "m7g.large" }, { instanceType: "m6i.large" }], type),
            ]);
            assert.equal(result.violations.length, 1, type);
            assert.match(
                result.violations[0],
                /EC2 Fleet "fleet": launch template config 1 override 2: instance type m6i.large/,
            );
        }
    });

    it("rejects overrides that mix architectures on one AMI even when the AMI is unknown", async () => {
        const fleet = resource(EC2_FLEET, "fleet", {
            launchTemplateConfigs: [
                {
                    launchTemplateSpecification: { launchTemplateName: "outside", version: "1" },
                    overrides: [{ instanceType: "m7g.large" }, { instanceType: "m5.large" }],
                },
            ],
        });
        const result = await match([fleet]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /EC2 Fleet "fleet": launch template config 1: overrides that boot the same AMI mix arm64 \(m7g.large\) and x86_64 \(m5.large\)/,
        );
        assert.match(
            result.violations[0],
            /Fix: move the overrides of the other architecture into a launch template config of their own/,
        );
    });

    it("never lends one config's template to another config that names a template from outside the stack", async () => {
        // In a first preview the template's id is unknown and found through the property dependency.
        for (const [shape, id] of [
            ["first preview", UNKNOWN.string],
            ["update", "lt-arm-lt"],
        ]) {
            const lt = template({ id });
            const fleet = resource(
                EC2_FLEET,
                "fleet",
                {
                    launchTemplateConfigs: [
                        {
                            launchTemplateSpecification: { launchTemplateId: id, version: "1" },
                            overrides: [{ instanceType: "m7g.large" }],
                        },
                        {
                            launchTemplateSpecification: { launchTemplateId: "lt-0123456789abcdef0", version: "1" },
                            overrides: [{ instanceType: "m6i.large" }],
                        },
                    ],
                },
                { launchTemplateConfigs: [lt] },
            );
            assert.deepEqual((await match([lt, fleet])).violations, [], shape);
            const advisory = await unknown([lt, fleet]);
            assert.equal(advisory.violations.length, 1, shape);
            assert.match(
                advisory.violations[0],
                /EC2 Fleet "fleet": its architecture cannot be verified: launch template config 2 override 1: its launch template lt-0123456789abcdef0 is not in this stack/,
            );
        }
    });

    it("reports overrides chosen by instanceRequirements", async () => {
        const picked = ec2Fleet([{ instanceRequirements: { vcpuCount: { min: 2 } } }]);
        assert.match(
            (await unknown([template(), picked])).violations[0],
            /EC2 Fleet "fleet": its architecture cannot be verified: .*instanceRequirements/,
        );
    });

    it("with requireGraviton, rejects consistent x86_64 overrides", async () => {
        const x86 = template({ instanceType: "m6i.large", imageId: X86_SSM }, "x86-lt");
        const fleet = resource(EC2_FLEET, "fleet", {
            launchTemplateConfigs: [
                {
                    launchTemplateSpecification: { launchTemplateId: "lt-x86-lt", version: "1" },
                    overrides: [{ instanceType: "m6i.large" }],
                },
            ],
        });
        assert.deepEqual((await match([x86, fleet])).violations, []);
        const strict = await match([x86, fleet], { requireGraviton: true });
        assert.ok(strict.violations.some((violation) => /EC2 Fleet "fleet"/.test(violation)));
    });
});
