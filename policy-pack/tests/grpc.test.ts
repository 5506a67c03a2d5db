// graviton-guard as the Pulumi CLI runs it: started through @pulumi/pulumi/cmd/run-policy-pack, configured and
// fed over the Analyzer gRPC protocol (harness/policyAnalyzer/ says which CLI source each step follows).
// Payloads are engine-shaped: the unknown sentinel, secrets, property dependencies, first-preview and update
// outputs. A few sessions are started once and shared, because each start costs a process (~0.8 s).

import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { packConfig } from "../policies";
import { engineResources } from "../../commands/check/engineResources";
import {
    AnalysisResult,
    Diagnostic,
    EngineResource,
    PACK_DIR,
    PackConfigFile,
    PolicyConfigError,
    PolicyPackSession,
    ReconciledPolicyConfig,
    UNKNOWN,
    reconcilePolicyConfig,
    secret,
} from "../../harness/policyAnalyzer";
import { eksRun, projectName, runProgram, stackRun } from "../../tests/harness";
import { engineResource } from "./engine";
import { packSession } from "./sessions";

const EKS = "aws:eks/nodeGroup:NodeGroup";
const NATIVE_EKS = "aws-native:eks:Nodegroup";
const LAMBDA = "aws:lambda/function:Function";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const IMAGE = "docker-build:index:Image";
const REPOSITORY = "aws:ecr/repository:Repository";
const REPO_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";

// A first-preview node group as the aws provider plans it: what the program set, unset Optional+Computed
// attributes unknown (no property dependency), the id unknown.
function nodeGroup(props: Record<string, unknown>, deps: Record<string, string[]> = {}, type = EKS): EngineResource {
    return engineResource(type, "nodes", { clusterName: "platform", id: UNKNOWN, arn: UNKNOWN, ...props }, deps);
}

const of = (result: AnalysisResult, level: Diagnostic["enforcementLevel"], policy?: string) =>
    result.diagnostics.filter(
        (diagnostic) =>
            diagnostic.enforcementLevel === level && (policy === undefined || diagnostic.policyName === policy),
    );
const mandatory = (result: AnalysisResult) => of(result, "mandatory").map((diagnostic) => diagnostic.policyName);
const advisories = (result: AnalysisResult) => of(result, "advisory").map((diagnostic) => diagnostic.policyName);

const preview = { project: projectName, stack: "dev", dryRun: true };

const exemption = { resourceName: "legacy-fn", reason: "vendor SDK ships x86 binaries only; OPS-42" };

// Every policy's level turned around, to show that the CLI's reconcile reaches the pack.
const FLIPPED: PackConfigFile = {
    "lambda-arm64-only": "advisory",
    "eks-nodegroup-architecture-match": "advisory",
    "docker-build-image-includes-arm64": "advisory",
    "ecs-task-definition-declares-architecture": { enforcementLevel: "advisory" },
    "eks-nodegroup-architecture-unknown": "mandatory",
    "images-pinned-by-digest": "mandatory",
    "graviton-exemptions-in-use": { enforcementLevel: "mandatory", exemptions: [exemption] },
    "lambda-image-architecture-match": "advisory",
    "lambda-image-architecture-unknown": "mandatory",
    "lambda-layer-architecture-match": "advisory",
    "lambda-layer-architecture-unknown": "mandatory",
};

describe("graviton-guard over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackSession;
    let flipped: PolicyPackSession;
    // requireGraviton and the exemption share a session: the exemption names only "legacy-fn".
    let configured: PolicyPackSession;
    let update: PolicyPackSession;
    // A config the CLI would refuse (a blank reason), sent to Configure as is.
    let unvalidated: PolicyPackSession;
    const blankReason: Record<string, ReconciledPolicyConfig> = {
        "lambda-arm64-only": {
            enforcementLevel: "mandatory",
            properties: { exemptions: [{ resourceName: "legacy-fn", reason: " " }] },
        },
    };

    before(async () => {
        [pack, flipped, configured, update, unvalidated] = await Promise.all([
            packSession(preview),
            packSession(preview, { config: FLIPPED }),
            packSession(preview, {
                config: packConfig({ requireGraviton: true, exemptions: [exemption] }) as PackConfigFile,
            }),
            packSession({ ...preview, dryRun: false }),
            packSession(preview, { rawConfig: blankReason }),
        ]);
    });

    describe("the protocol", () => {
        it("reports the pack's name, version and policies, and the SDK's plugin version", () => {
            assert.equal(pack.info.name, "graviton-guard");
            const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
                version: string;
            };
            assert.equal(pack.info.version, manifest.version);
            assert.equal(pack.pluginVersion, "1.21.0");
            assert.equal(pack.info.supportsConfig, true);
            assert.deepEqual(pack.info.policies.map((policy) => `${policy.name}:${policy.enforcementLevel}`).sort(), [
                "batch-compute-environment-architecture-match:mandatory",
                "batch-compute-environment-architecture-unknown:advisory",
                "batch-job-definition-declares-architecture:advisory",
                "batch-job-definition-graviton:mandatory",
                "codebuild-project-architecture-match:mandatory",
                "codebuild-project-architecture-unknown:advisory",
                "docker-build-image-includes-arm64:mandatory",
                "ec2-ami-architecture-match:mandatory",
                "ec2-ami-architecture-unknown:advisory",
                "ecs-service-capacity-architecture-match:mandatory",
                "ecs-service-capacity-architecture-unknown:advisory",
                "ecs-task-definition-declares-architecture:mandatory",
                "eks-nodegroup-architecture-match:mandatory",
                "eks-nodegroup-architecture-unknown:advisory",
                "emr-serverless-application-architecture-unknown:advisory",
                "emr-serverless-application-graviton:mandatory",
                "graviton-exemptions-in-use:advisory",
                "images-pinned-by-digest:advisory",
                "lambda-arm64-only:mandatory",
                "lambda-capacity-provider-architecture-match:mandatory",
                "lambda-capacity-provider-architecture-unknown:advisory",
                "lambda-image-architecture-match:mandatory",
                "lambda-image-architecture-unknown:advisory",
                "lambda-layer-architecture-match:mandatory",
                "lambda-layer-architecture-unknown:advisory",
            ]);
        });

        it("reconciles config as the CLI does: schema defaults, `all`, then per-policy entries", () => {
            const config = reconcilePolicyConfig(pack.info, {
                all: "advisory",
                "lambda-arm64-only": { enforcementLevel: "disabled", exemptions: [exemption] },
            });
            assert.deepEqual(config["eks-nodegroup-architecture-match"], {
                enforcementLevel: "advisory",
                properties: { exemptions: [], requireGraviton: false, amiArchitectures: {} },
            });
            assert.deepEqual(config["lambda-arm64-only"], {
                enforcementLevel: "disabled",
                properties: { exemptions: [exemption] },
            });
        });

        it("refuses, as the CLI does, an exemption without a reason or with a blank one", () => {
            for (const bad of [{ resourceName: "legacy-fn" }, { resourceName: "legacy-fn", reason: "  " }]) {
                assert.throws(
                    () => reconcilePolicyConfig(pack.info, { "lambda-arm64-only": { exemptions: [bad] } }),
                    (error: unknown) =>
                        error instanceof PolicyConfigError &&
                        error.problems.some((problem) => problem.startsWith("lambda-arm64-only: (root).exemptions.0")),
                );
            }
        });

        it("unwraps secrets before judging (KeepSecrets)", async () => {
            const arm = await pack.analyze(
                engineResource(LAMBDA, "api-fn", { packageType: "Zip", architectures: secret(["arm64"]) }),
            );
            assert.deepEqual(mandatory(arm), []);
            const x86 = await pack.analyze(
                engineResource(LAMBDA, "api-fn", { packageType: "Zip", architectures: secret(["x86_64"]) }),
            );
            assert.deepEqual(mandatory(x86), ["lambda-arm64-only"]);
        });

        it("leaves a Lambda input that comes from another resource's output to the engine's preview advisory", async () => {
            const result = await pack.analyze(
                engineResource(LAMBDA, "api-fn", { packageType: "Zip", architectures: UNKNOWN }),
            );
            assert.deepEqual(mandatory(result), []);
            assert.match(
                of(result, "advisory", "lambda-arm64-only")[0]?.message ?? "",
                /can't run policy 'lambda-arm64-only' .* during preview/,
            );
        });
    });

    // One violating case per policy, run at the pack's levels and with every level turned around.
    const violations: { policy: string; stack: EngineResource[]; analyze?: boolean }[] = [
        {
            policy: "lambda-arm64-only",
            stack: [engineResource(LAMBDA, "legacy-fn", { packageType: "Zip" })],
            analyze: true,
        },
        {
            policy: "eks-nodegroup-architecture-match",
            stack: [nodeGroup({ instanceTypes: ["m7g.large"], amiType: "AL2023_x86_64_STANDARD" })],
        },
        {
            policy: "eks-nodegroup-architecture-unknown",
            stack: [nodeGroup({ instanceTypes: ["m7g.large"], amiType: "CUSTOM" })],
        },
        {
            policy: "docker-build-image-includes-arm64",
            stack: [
                engineResource(IMAGE, "app-amd64", {
                    push: true,
                    platforms: ["linux/amd64"],
                    tags: [`${REPO_URL}:amd64`],
                }),
            ],
        },
        {
            policy: "ecs-task-definition-declares-architecture",
            stack: [engineResource(TASK, "web", { requiresCompatibilities: ["FARGATE"], containerDefinitions: "[]" })],
            analyze: true,
        },
        {
            policy: "images-pinned-by-digest",
            stack: [
                engineResource(LAMBDA, "api-fn", {
                    packageType: "Image",
                    architectures: ["arm64"],
                    imageUri: `${REPO_URL}:arm64`,
                }),
            ],
            analyze: true,
        },
    ];
    const defaultLevel = (policy: string) =>
        policy.startsWith("eks-nodegroup-architecture-unknown") || policy === "images-pinned-by-digest"
            ? "advisory"
            : "mandatory";
    for (const { policy, stack, analyze } of violations) {
        it(`${policy}: reported at its own level, and at the level the config sets`, async () => {
            const run = (session: PolicyPackSession) =>
                analyze ? session.analyze(stack[0]) : session.analyzeStack(stack);
            const own = (await run(pack)).diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
            assert.equal(own.length, 1, JSON.stringify(own));
            assert.equal(own[0].enforcementLevel, defaultLevel(policy));
            const turned = (await run(flipped)).diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
            assert.equal(turned.length, 1);
            assert.equal(turned[0].enforcementLevel, defaultLevel(policy) === "mandatory" ? "advisory" : "mandatory");
        });
    }

    it("graviton-exemptions-in-use and the exemptions: an exempt x86 Lambda passes, and stays visible with its reason", async () => {
        const legacy = engineResource(LAMBDA, "legacy-fn", { packageType: "Zip" });
        assert.deepEqual(mandatory(await configured.analyze(legacy)), []);
        const listed = of(await configured.analyzeStack([legacy]), "advisory", "graviton-exemptions-in-use");
        assert.equal(listed.length, 1);
        assert.match(listed[0].message, /OPS-42/);
        // At mandatory (the level a team may choose to force exemptions out), the listing blocks.
        assert.deepEqual(mandatory(await flipped.analyzeStack([legacy])), ["graviton-exemptions-in-use"]);
    });

    it("an exemption with a blank reason that bypasses the CLI's validation still waives nothing", async () => {
        assert.deepEqual(
            mandatory(await unvalidated.analyze(engineResource(LAMBDA, "legacy-fn", { packageType: "Zip" }))),
            ["lambda-arm64-only"],
        );
    });

    describe("fix 1: an unknown without property dependencies is the provider's default, judged as unset", () => {
        it("blocks Graviton instance types whose amiType the provider will default (EKS's x86_64 AMI)", async () => {
            const result = await pack.analyzeStack([nodeGroup({ instanceTypes: ["m7g.large"], amiType: UNKNOWN })]);
            assert.deepEqual(mandatory(result), ["eks-nodegroup-architecture-match"]);
            assert.match(of(result, "mandatory")[0].message, /amiType is unset, so EKS uses an x86_64 AMI/);
        });

        it("blocks an ARM_64 AMI whose instanceTypes the provider will default (t3.medium)", async () => {
            const result = await pack.analyzeStack([
                nodeGroup({ amiType: "BOTTLEROCKET_ARM_64", instanceTypes: UNKNOWN }),
            ]);
            assert.deepEqual(mandatory(result), ["eks-nodegroup-architecture-match"]);
            assert.match(of(result, "mandatory")[0].message, /t3.medium/);
        });

        it("keeps an unknown that came from another resource's output advisory", async () => {
            // The engine sends every resource of the stack; the pack resolves dependencies among them.
            const parameter = engineResource("aws:ssm/parameter:Parameter", "ami-type", { value: UNKNOWN });
            const result = await pack.analyzeStack([
                parameter,
                nodeGroup({ instanceTypes: ["m7g.large"], amiType: UNKNOWN }, { amiType: [parameter.urn] }),
            ]);
            assert.deepEqual(mandatory(result), []);
            assert.match(
                of(result, "advisory", "eks-nodegroup-architecture-unknown")[0]?.message ?? "",
                /amiType is not known until the update runs/,
            );
        });

        it("passes a Graviton node group whose outputs are otherwise unknown", async () => {
            const result = await pack.analyzeStack([
                nodeGroup({ instanceTypes: ["m7g.large"], amiType: "AL2023_ARM_64_STANDARD", releaseVersion: UNKNOWN }),
            ]);
            assert.deepEqual(result.diagnostics, []);
        });
    });

    describe("fix 2: a launch template outside the stack may supply the AMI", () => {
        for (const instanceTypes of [["m7g.large"], ["m5.large"]]) {
            it(`reports ${instanceTypes[0]} with an unset amiType as advisory, not mandatory and not silent`, async () => {
                const group = nodeGroup({
                    instanceTypes,
                    amiType: UNKNOWN,
                    launchTemplate: { id: "lt-0abc0abc0abc0abc0", version: "3", name: UNKNOWN },
                });
                const result = await pack.analyzeStack([group]);
                assert.deepEqual(mandatory(result), []);
                assert.deepEqual(advisories(result), ["eks-nodegroup-architecture-unknown"]);
                assert.match(of(result, "advisory")[0].message, /launch template/);
            });
        }

        it("still judges an explicit amiType beside an outside launch template (EKS then uses that AMI type)", async () => {
            const group = nodeGroup({
                instanceTypes: ["m7g.large"],
                amiType: "AL2023_x86_64_STANDARD",
                launchTemplate: { id: "lt-0abc0abc0abc0abc0", version: "3" },
            });
            assert.deepEqual(mandatory(await pack.analyzeStack([group])), ["eks-nodegroup-architecture-match"]);
        });
    });

    describe("fix 3: docker-build Images that push through exports", () => {
        for (const exports of [[{ registry: {} }], [{ image: { push: true } }], [{ registry: { push: true } }]]) {
            it(`rejects an amd64-only Image pushed with exports ${JSON.stringify(exports)}`, async () => {
                const image = engineResource(IMAGE, "app-amd64", {
                    push: false,
                    exports,
                    platforms: ["linux/amd64"],
                    tags: [`${REPO_URL}:amd64`],
                });
                assert.deepEqual(mandatory(await pack.analyzeStack([image])), ["docker-build-image-includes-arm64"]);
            });
        }

        it("accepts exports that push an arm64 Image, and ignores exports that do not push", async () => {
            const arm = engineResource(IMAGE, "app-arm64", {
                exports: [{ registry: {} }],
                platforms: ["linux/arm64"],
                tags: [`${REPO_URL}:arm64`],
            });
            assert.deepEqual(mandatory(await pack.analyzeStack([arm])), []);
            const local = engineResource(IMAGE, "app-local", {
                exports: [{ image: { push: false } }, { docker: {} }],
                platforms: ["linux/amd64"],
                tags: [`${REPO_URL}:dev`],
            });
            assert.deepEqual(mandatory(await pack.analyzeStack([local])), []);
            const registryOff = engineResource(IMAGE, "app-off", {
                exports: [{ registry: { push: false } }],
                platforms: ["linux/amd64"],
                tags: [`${REPO_URL}:dev`],
            });
            assert.deepEqual(mandatory(await pack.analyzeStack([registryOff])), []);
        });
    });

    describe("fix 4: aws-native:eks:Nodegroup", () => {
        it("rejects Graviton instance types on the default x86_64 AMI, as for the classic node group", async () => {
            const result = await pack.analyzeStack([
                nodeGroup({ instanceTypes: ["m7g.large"], amiType: UNKNOWN }, {}, NATIVE_EKS),
            ]);
            assert.deepEqual(mandatory(result), ["eks-nodegroup-architecture-match"]);
        });

        it("passes a consistent Graviton aws-native node group", async () => {
            const result = await pack.analyzeStack([
                nodeGroup({ instanceTypes: ["c8g.large"], amiType: "AL2023_ARM_64_STANDARD" }, {}, NATIVE_EKS),
            ]);
            assert.deepEqual(result.diagnostics, []);
        });
    });

    describe("fix 5: requireGraviton and a known x86_64 AMI type", () => {
        it("rejects an x86_64 amiType whose instance types come from another resource (unknown)", async () => {
            const parameter = engineResource("aws:ssm/parameter:Parameter", "types", { value: UNKNOWN });
            const group = nodeGroup(
                { amiType: "AL2023_x86_64_STANDARD", instanceTypes: UNKNOWN },
                { instanceTypes: [parameter.urn] },
            );
            assert.deepEqual(mandatory(await configured.analyzeStack([parameter, group])), [
                "eks-nodegroup-architecture-match",
            ]);
            assert.deepEqual(mandatory(await pack.analyzeStack([parameter, group])), []);
        });

        it("rejects an x86_64 amiType with an unrecognised instance type", async () => {
            const group = nodeGroup({ amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m7g.huge"] });
            const result = await configured.analyzeStack([group]);
            assert.deepEqual(mandatory(result), ["eks-nodegroup-architecture-match"]);
            assert.match(of(result, "mandatory")[0].message, /amiType AL2023_x86_64_STANDARD is x86_64/);
        });
    });

    describe("fix 6: instance families come from an explicit table", () => {
        it("knows p6e-gb200 (NVIDIA Grace) as arm64", async () => {
            const arm = await pack.analyzeStack([
                nodeGroup({ instanceTypes: ["p6e-gb200.36xlarge"], amiType: "AL2023_ARM_64_NVIDIA" }),
            ]);
            assert.deepEqual(arm.diagnostics, []);
            const x86 = await pack.analyzeStack([
                nodeGroup({ instanceTypes: ["p6e-gb200.36xlarge"], amiType: "AL2023_x86_64_NVIDIA" }),
            ]);
            assert.deepEqual(mandatory(x86), ["eks-nodegroup-architecture-match"]);
        });

        it("reports an unlisted family as advisory, never mandatory, whatever its name looks like", async () => {
            for (const instanceTypes of [["q9g.large"], ["q9i.large"]]) {
                for (const amiType of ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"]) {
                    const result = await pack.analyzeStack([nodeGroup({ instanceTypes, amiType })]);
                    assert.deepEqual(mandatory(result), [], `${instanceTypes[0]} ${amiType}`);
                    assert.deepEqual(
                        advisories(result),
                        ["eks-nodegroup-architecture-unknown"],
                        `${instanceTypes[0]} ${amiType}`,
                    );
                }
            }
        });
    });

    describe("this program's own stacks", () => {
        for (const stack of ["dev", "prod"]) {
            for (const shape of ["preview", "update"] as const) {
                it(`${stack}, as a ${shape === "preview" ? "first preview" : "update"}: no mandatory violation`, async () => {
                    const run = await stackRun(stack);
                    const resources = engineResources(projectName, stack, run.resources, shape);
                    const session = shape === "preview" ? pack : update;
                    const result = await session.run(resources);
                    assert.deepEqual(of(result, "mandatory"), []);
                    // Each resource policy judged at least one resource, so the run proves something about it.
                    for (const policy of [
                        "lambda-arm64-only",
                        "ecs-task-definition-declares-architecture",
                        "images-pinned-by-digest",
                    ]) {
                        const skipped = result.notApplicable.filter((entry) => entry.policyName === policy).length;
                        assert.ok(skipped < resources.length, `${policy} applied to nothing`);
                    }
                    if (shape === "preview") {
                        // The first preview really has unknowns where the provider computes values.
                        const image = resources.find((resource) => resource.outputs.type === IMAGE);
                        assert.equal(image?.outputs.properties.digest, UNKNOWN);
                        assert.ok(
                            (image?.outputs.propertyDependencies?.tags ?? []).some((source) =>
                                source.includes(REPOSITORY),
                            ),
                        );
                    } else {
                        assert.deepEqual(of(result, "advisory"), []);
                    }
                });
            }
        }

        for (const stack of ["dev", "prod"]) {
            it(`${stack} with EKS on: its node group judged, and no diagnostic but requireGraviton's refusal of the x86 service`, async () => {
                const run = await eksRun(stack);
                for (const shape of ["preview", "update"] as const) {
                    const resources = engineResources(projectName, stack, run.resources, shape);
                    for (const session of shape === "preview" ? [pack, configured] : [update]) {
                        const result = await session.run(resources);
                        // requireGraviton refuses the one thing the program runs on X86_64 on purpose: its x86 service.
                        assert.deepEqual(
                            result.diagnostics.map((diagnostic) => [
                                diagnostic.policyName,
                                /ECS task definition "web-x86": runtimePlatform.cpuArchitecture is "X86_64"/.test(
                                    diagnostic.message,
                                ),
                            ]),
                            session === configured ? [["ecs-task-definition-declares-architecture", true]] : [],
                            shape,
                        );
                        // The stack policies saw a node group: neither says it does not apply.
                        assert.deepEqual(
                            result.notApplicable
                                .map((entry) => entry.policyName)
                                .filter((policy) => policy.startsWith("eks-nodegroup-")),
                            [],
                            shape,
                        );
                    }
                }
            });
        }

        it("blocks the program with a Graviton node group and no amiType in its first preview", async () => {
            const run = await runProgram("dev", { entry: "tests/fixtures/mismatchedNodeGroup.ts" });
            const result = await pack.run(engineResources(projectName, "dev", run.resources, "preview"));
            assert.deepEqual(mandatory(result), ["eks-nodegroup-architecture-match"]);
            assert.match(of(result, "mandatory")[0].urn, /batch-nodes$/);
        });

        it("blocks the program with an x86 Lambda, in a first preview and in an update", async () => {
            const run = await runProgram("dev", { entry: "tests/fixtures/x86Lambda.ts" });
            for (const [shape, session] of [
                ["preview", pack],
                ["update", update],
            ] as const) {
                const result = await session.run(engineResources(projectName, "dev", run.resources, shape));
                // The x86_64 function also runs the arm64 image, a second known conflict.
                assert.deepEqual(mandatory(result), ["lambda-arm64-only", "lambda-image-architecture-match"], shape);
            }
        });
    });
});
