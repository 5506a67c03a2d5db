// ec2-ami-architecture-match and ec2-ami-architecture-unknown over the Analyzer gRPC protocol, as the CLI runs the
// pack: first-preview payloads (new ids unknown, the engine's property dependencies naming the launch template or
// AMI) and update payloads (ids known, references matched by id).

import * as assert from "node:assert/strict";
import { packConfig } from "../policies";
import {
    AnalysisResult,
    Diagnostic,
    EngineResource,
    PackConfigFile,
    PolicyPackSession,
    UNKNOWN,
} from "../../harness/policyAnalyzer";
import { projectName } from "../../tests/harness";
import { engineResource } from "./engine";
import { packSession } from "./sessions";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const NATIVE_LT = "aws-native:ec2:LaunchTemplate";
const ASG = "aws:autoscaling/group:Group";
const NATIVE_ASG = "aws-native:autoscaling:AutoScalingGroup";
const INSTANCE = "aws:ec2/instance:Instance";
const NATIVE_INSTANCE = "aws-native:ec2:Instance";
const AMI = "aws:ec2/ami:Ami";
const PARAMETER = "aws:ssm/parameter:Parameter";
const SPOT = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const SPOT_FLEET = "aws:ec2/spotFleetRequest:SpotFleetRequest";
const NATIVE_SPOT_FLEET = "aws-native:ec2:SpotFleet";
const FLEET = "aws:ec2/fleet:Fleet";
const NATIVE_FLEET = "aws-native:ec2:Ec2Fleet";
const MATCH = "ec2-ami-architecture-match";
const UNKNOWN_POLICY = "ec2-ami-architecture-unknown";

const ARM_SSM = "resolve:ssm:/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id";
const X86_SSM = "resolve:ssm:/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id";

const of = (result: AnalysisResult, level: Diagnostic["enforcementLevel"]) =>
    result.diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === level);
const mandatory = (result: AnalysisResult) => of(result, "mandatory").map((diagnostic) => diagnostic.policyName);
const advisories = (result: AnalysisResult) => of(result, "advisory").map((diagnostic) => diagnostic.policyName);

const preview = { project: projectName, stack: "dev", dryRun: true };

// A launch template in a first preview (ids unknown) or an update (ids known).
const template = (shape: "preview" | "update", props: Record<string, unknown> = {}) =>
    engineResource(LT, "arm-lt", {
        id: shape === "preview" ? UNKNOWN : "lt-0aaaaaaaaaaaaaaaa",
        name: "arm-lt-5f3a2c1",
        imageId: ARM_SSM,
        ...props,
    });

// An Auto Scaling group whose overrides mix m7g.large (arm64) and m5.large (x86_64) on the template's arm64 AMI.
const mixedGroup = (lt: EngineResource, type = ASG) =>
    engineResource(
        type,
        "workers",
        {
            minSize: 1,
            maxSize: 3,
            mixedInstancesPolicy: {
                launchTemplate: {
                    launchTemplateSpecification: { launchTemplateId: lt.properties.id, version: "$Latest" },
                    overrides: [{ instanceType: "m7g.large" }, { instanceType: "m5.large" }],
                },
            },
        },
        { mixedInstancesPolicy: [lt.urn] },
    );

describe("ec2-ami-architecture-* over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackSession;
    let update: PolicyPackSession;
    let configured: PolicyPackSession;
    const amiArchitectures = { "ami-0fromci000000000": "x86_64" };

    before(async () => {
        const config = {
            ...packConfig({ requireGraviton: true }),
            [MATCH]: { requireGraviton: true, amiArchitectures },
            [UNKNOWN_POLICY]: { amiArchitectures },
        } as PackConfigFile;
        [pack, update, configured] = await Promise.all([
            packSession(preview),
            packSession({ ...preview, dryRun: false }),
            packSession({ ...preview, dryRun: false }, { config }),
        ]);
    });

    describe("first preview", () => {
        it("blocks an x86_64 override on a new launch template's arm64 AMI, found through property dependencies", async () => {
            const lt = template("preview");
            const result = await pack.analyzeStack([lt, mixedGroup(lt)]);
            assert.deepEqual(mandatory(result), [MATCH]);
            assert.match(of(result, "mandatory")[0].message, /override 2: instance type m5.large runs x86_64/);
            assert.match(of(result, "mandatory")[0].urn, /workers$/);
        });

        it("blocks an instance whose instance type cannot run a new aws.ec2.Ami's architecture", async () => {
            const ami = engineResource(AMI, "golden", { id: UNKNOWN, architecture: "arm64", arn: UNKNOWN });
            const box = engineResource(INSTANCE, "box", { ami: UNKNOWN, instanceType: "m5.large" }, { ami: [ami.urn] });
            assert.deepEqual(mandatory(await pack.analyzeStack([ami, box])), [MATCH]);
        });

        it("judges an instance's provider-defaulted ami (unknown, no dependency) as its launch template's", async () => {
            const lt = template("preview");
            const box = engineResource(
                INSTANCE,
                "box",
                { ami: UNKNOWN, instanceType: "c6i.large", launchTemplate: { id: UNKNOWN, version: "$Latest" } },
                { launchTemplate: [lt.urn] },
            );
            assert.deepEqual(mandatory(await pack.analyzeStack([lt, box])), [MATCH]);
        });

        it("blocks an aws-native launch template, instance and Auto Scaling group", async () => {
            const native = engineResource(NATIVE_LT, "native-lt", {
                launchTemplateId: UNKNOWN,
                launchTemplateName: "native-lt",
                launchTemplateData: { instanceType: "c7g.large", imageId: X86_SSM },
            });
            assert.deepEqual(mandatory(await pack.analyzeStack([native])), [MATCH]);
            const box = engineResource(NATIVE_INSTANCE, "box", { imageId: ARM_SSM, instanceType: "t3.small" });
            assert.deepEqual(mandatory(await pack.analyzeStack([box])), [MATCH]);
            const lt = template("preview");
            assert.deepEqual(mandatory(await pack.analyzeStack([lt, mixedGroup(lt, NATIVE_ASG)])), [MATCH]);
        });

        it("keeps an AMI that comes from another resource's output advisory", async () => {
            const parameter = engineResource(PARAMETER, "ami-id", { value: UNKNOWN });
            const box = engineResource(
                INSTANCE,
                "box",
                { ami: UNKNOWN, instanceType: "m7g.large" },
                { ami: [parameter.urn] },
            );
            const result = await pack.analyzeStack([parameter, box]);
            assert.deepEqual(mandatory(result), []);
            assert.deepEqual(advisories(result), [UNKNOWN_POLICY]);
            assert.match(of(result, "advisory")[0].message, /not known until the update runs/);
        });

        it("passes a consistent Graviton group", async () => {
            const lt = template("preview");
            const group = mixedGroup(lt);
            (
                group.properties.mixedInstancesPolicy as { launchTemplate: { overrides: unknown[] } }
            ).launchTemplate.overrides = [{ instanceType: "m7g.large" }, { instanceType: "c7g.large" }];
            assert.deepEqual((await pack.analyzeStack([lt, group])).diagnostics, []);
        });
    });

    describe("update", () => {
        it("blocks an override that boots the launch template (matched by id) on the other architecture", async () => {
            const lt = template("update");
            const group = mixedGroup(lt);
            group.propertyDependencies = {};
            group.dependencies = [];
            assert.deepEqual(mandatory(await update.analyzeStack([lt, group])), [MATCH]);
        });

        it("blocks an instance whose AMI id is an aws.ec2.Ami of the stack", async () => {
            const ami = engineResource(AMI, "golden", { id: "ami-0golden000000000", architecture: "x86_64" });
            const box = engineResource(INSTANCE, "box", { ami: "ami-0golden000000000", instanceType: "m7g.large" });
            assert.deepEqual(mandatory(await update.analyzeStack([ami, box])), [MATCH]);
        });

        it("reports an AMI id from outside the stack as advisory, and decides it from amiArchitectures", async () => {
            const lt = template("update", { instanceType: "m7g.large", imageId: "ami-0fromci000000000" });
            const plain = await update.analyzeStack([lt]);
            assert.deepEqual(mandatory(plain), []);
            assert.deepEqual(advisories(plain), [UNKNOWN_POLICY]);
            const decided = await configured.analyzeStack([lt]);
            assert.deepEqual(advisories(decided), []);
            // The mismatch, and (requireGraviton is on in this session) the x86_64 AMI itself.
            assert.deepEqual(mandatory(decided), [MATCH, MATCH]);
            assert.match(
                of(decided, "mandatory")[0].message,
                /runs arm64 but the AMI is x86_64 \(AMI ami-0fromci000000000 \(x86_64, amiArchitectures config\)\)/,
            );
        });

        it("with requireGraviton, blocks a consistent x86_64 instance", async () => {
            const box = engineResource(INSTANCE, "box", { ami: X86_SSM, instanceType: "m5.large" });
            assert.deepEqual(mandatory(await update.analyzeStack([box])), []);
            const result = await configured.analyzeStack([box]);
            assert.deepEqual(mandatory(result), [MATCH]);
            assert.match(of(result, "mandatory")[0].message, /requireGraviton is set/);
        });
    });
    describe("EKS node groups whose launch template sets imageId", () => {
        const EKS = "aws:eks/nodeGroup:NodeGroup";
        const EKS_MATCH = "eks-nodegroup-architecture-match";
        const nodes = (lt: EngineResource, instanceTypes: string[], shape: "preview" | "update") =>
            engineResource(
                EKS,
                "nodes",
                {
                    clusterName: "platform",
                    // In a first preview the provider plans the unset amiType as unknown; an update reads it absent.
                    id: shape === "preview" ? UNKNOWN : "platform:nodes",
                    ...(shape === "preview" ? { amiType: UNKNOWN } : {}),
                    instanceTypes,
                    launchTemplate: { id: lt.properties.id, version: "1", name: lt.properties.name },
                },
                { launchTemplate: [lt.urn] },
            );

        it("first preview: blocks Graviton types on the new template's x86_64 SSM parameter", async () => {
            const lt = template("preview", { imageId: X86_SSM });
            const result = await pack.analyzeStack([lt, nodes(lt, ["m7g.large"], "preview")]);
            assert.deepEqual(mandatory(result), [EKS_MATCH]);
            assert.match(of(result, "mandatory")[0].message, /the launch template's AMI is x86_64/);
        });

        it("update: blocks x86_64 types on the template's arm64 SSM parameter, and passes Graviton types silently", async () => {
            const lt = template("update");
            assert.deepEqual(mandatory(await update.analyzeStack([lt, nodes(lt, ["m5.large"], "update")])), [
                EKS_MATCH,
            ]);
            assert.deepEqual((await update.analyzeStack([lt, nodes(lt, ["m7g.large"], "update")])).diagnostics, []);
        });
    });
    describe("Spot requests", () => {
        // A Spot Fleet whose launch template config's overrides mix m7g.large and m5.large on the template's arm64 AMI.
        const spotFleet = (lt: EngineResource, type = SPOT_FLEET) => {
            const configs = [
                {
                    launchTemplateSpecification:
                        type === SPOT_FLEET
                            ? { id: lt.properties.id, version: "1" }
                            : { launchTemplateId: lt.properties.id, version: "1" },
                    overrides: [{ instanceType: "m7g.large" }, { instanceType: "m5.large" }],
                },
            ];
            return type === SPOT_FLEET
                ? engineResource(
                      type,
                      "spot",
                      { targetCapacity: 2, launchTemplateConfigs: configs },
                      {
                          launchTemplateConfigs: [lt.urn],
                      },
                  )
                : engineResource(
                      type,
                      "spot",
                      { spotFleetRequestConfigData: { targetCapacity: 2, launchTemplateConfigs: configs } },
                      { spotFleetRequestConfigData: [lt.urn] },
                  );
        };

        it("first preview: blocks a Spot instance request on a new x86_64 aws.ec2.Ami with a Graviton type", async () => {
            const ami = engineResource(AMI, "golden", { id: UNKNOWN, architecture: "x86_64" });
            const request = engineResource(
                SPOT,
                "spot-box",
                { ami: UNKNOWN, instanceType: "t4g.small" },
                { ami: [ami.urn] },
            );
            assert.deepEqual(mandatory(await pack.analyzeStack([ami, request])), [MATCH]);
        });

        it("first preview: blocks a Spot Fleet (aws and aws-native) override on the new template's other-architecture AMI", async () => {
            const lt = template("preview");
            assert.deepEqual(mandatory(await pack.analyzeStack([lt, spotFleet(lt)])), [MATCH]);
            assert.deepEqual(mandatory(await pack.analyzeStack([lt, spotFleet(lt, NATIVE_SPOT_FLEET)])), [MATCH]);
        });

        it("update: blocks a Spot Fleet override and a Spot instance request, matched by id", async () => {
            const lt = template("update");
            const fleet = spotFleet(lt);
            fleet.propertyDependencies = {};
            fleet.dependencies = [];
            assert.deepEqual(mandatory(await update.analyzeStack([lt, fleet])), [MATCH]);
            const request = engineResource(SPOT, "spot-box", { ami: ARM_SSM, instanceType: "m5.large" });
            assert.deepEqual(mandatory(await update.analyzeStack([request])), [MATCH]);
        });

        it("update: reports a Spot instance request on an AMI from outside the stack as advisory", async () => {
            const request = engineResource(SPOT, "spot-box", {
                ami: "ami-0outside00000000",
                instanceType: "m7g.large",
            });
            const result = await update.analyzeStack([request]);
            assert.deepEqual(mandatory(result), []);
            assert.deepEqual(advisories(result), [UNKNOWN_POLICY]);
        });
    });
    describe("EC2 Fleets", () => {
        // An EC2 Fleet whose launch template config's overrides mix m7g.large and m5.large on the template's arm64 AMI;
        // the same keys in both providers.
        const ec2Fleet = (lt: EngineResource, type: string, overrides = ["m7g.large", "m5.large"]) =>
            engineResource(
                type,
                "fleet",
                {
                    targetCapacitySpecification: { totalTargetCapacity: 2, defaultTargetCapacityType: "spot" },
                    launchTemplateConfigs: [
                        {
                            launchTemplateSpecification: { launchTemplateId: lt.properties.id, version: "1" },
                            overrides: overrides.map((instanceType) => ({ instanceType })),
                        },
                    ],
                },
                { launchTemplateConfigs: [lt.urn] },
            );

        it("first preview: blocks an override on the new template's other-architecture AMI (aws and aws-native)", async () => {
            const lt = template("preview");
            for (const type of [FLEET, NATIVE_FLEET]) {
                assert.deepEqual(mandatory(await pack.analyzeStack([lt, ec2Fleet(lt, type)])), [MATCH], type);
            }
        });

        // Config 1 (and the group's base) on the stack's arm64 template; config 2 (an override) on a template from
        // outside the stack with m6i.large, whose AMI the stack cannot know.
        const outsideId = "lt-0123456789abcdef0";
        const withOutsideTemplate = (lt: EngineResource) => [
            engineResource(
                FLEET,
                "fleet",
                {
                    launchTemplateConfigs: [
                        {
                            launchTemplateSpecification: { launchTemplateId: lt.properties.id, version: "1" },
                            overrides: [{ instanceType: "m7g.large" }],
                        },
                        {
                            launchTemplateSpecification: { launchTemplateId: outsideId, version: "1" },
                            overrides: [{ instanceType: "m6i.large" }],
                        },
                    ],
                },
                { launchTemplateConfigs: [lt.urn] },
            ),
            engineResource(
                ASG,
                "workers",
                {
                    minSize: 1,
                    maxSize: 3,
                    mixedInstancesPolicy: {
                        launchTemplate: {
                            launchTemplateSpecification: { launchTemplateId: lt.properties.id, version: "$Latest" },
                            overrides: [
                                { instanceType: "m7g.large" },
                                {
                                    instanceType: "m6i.large",
                                    launchTemplateSpecification: { launchTemplateId: outsideId, version: "1" },
                                },
                            ],
                        },
                    },
                },
                { mixedInstancesPolicy: [lt.urn] },
            ),
        ];
        const outsideAdvisories = async (session: PolicyPackSession, lt: EngineResource) => {
            const result = await session.analyzeStack([lt, ...withOutsideTemplate(lt)]);
            assert.deepEqual(mandatory(result), []);
            assert.deepEqual(advisories(result), [UNKNOWN_POLICY, UNKNOWN_POLICY]);
            const messages = of(result, "advisory").map((diagnostic) => diagnostic.message);
            assert.match(
                messages.join("\n"),
                /launch template config 2 override 1: its launch template lt-0123456789abcdef0/,
            );
            assert.match(
                messages.join("\n"),
                /override 2: its launch template lt-0123456789abcdef0 is not in this stack/,
            );
        };

        it("first preview: a config or override naming a template from outside the stack is advisory, not judged on the new template's AMI (EC2 Fleet, Auto Scaling group)", async () => {
            await outsideAdvisories(pack, template("preview"));
        });

        it("update: a config or override naming a template from outside the stack is advisory, not judged on the stack's template's AMI (EC2 Fleet, Auto Scaling group)", async () => {
            await outsideAdvisories(update, template("update"));
        });

        it("first preview: keeps launch template configs that are not known yet advisory", async () => {
            const fleet = engineResource(FLEET, "fleet", { launchTemplateConfigs: UNKNOWN });
            const result = await pack.analyzeStack([fleet]);
            assert.deepEqual(mandatory(result), []);
            assert.deepEqual(advisories(result), [UNKNOWN_POLICY]);
        });

        it("update: blocks the override matched by id, passes Graviton overrides, and with requireGraviton blocks x86_64 (aws and aws-native)", async () => {
            const lt = template("update");
            for (const type of [FLEET, NATIVE_FLEET]) {
                const fleet = ec2Fleet(lt, type);
                fleet.propertyDependencies = {};
                fleet.dependencies = [];
                assert.deepEqual(mandatory(await update.analyzeStack([lt, fleet])), [MATCH], type);
                assert.deepEqual((await update.analyzeStack([lt, ec2Fleet(lt, type, ["m7g.large"])])).diagnostics, []);
                const x86 = template("update", { imageId: X86_SSM });
                assert.deepEqual(mandatory(await configured.analyzeStack([x86, ec2Fleet(x86, type, ["m5.large"])])), [
                    MATCH,
                ]);
            }
        });
    });
});
