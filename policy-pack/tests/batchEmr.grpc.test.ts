// The Batch and EMR Serverless policies as the Pulumi CLI runs them (harness/policyAnalyzer/): each rule in the
// shape of a first preview (inputs from other resources unknown) and of an update (every input known).

import * as assert from "node:assert/strict";
import { packConfig } from "../policies";
import {
    AnalysisResult,
    EngineResource,
    PackConfigFile,
    PolicyPackSession,
    UNKNOWN,
} from "../../harness/policyAnalyzer";
import { projectName } from "../../tests/harness";
import { packSession } from "./sessions";

const MATCH = "batch-compute-environment-architecture-match";
const UNKNOWN_POLICY = "batch-compute-environment-architecture-unknown";
const CE = "aws:batch/computeEnvironment:ComputeEnvironment";
const NATIVE_CE = "aws-native:batch:ComputeEnvironment";

// A compute environment's inputs; in the preview shape the role and subnets come from resources not created yet.
function computeEnvironment(
    shape: "preview" | "update",
    computeResources: Record<string, unknown>,
    type = CE,
): EngineResource {
    const pending = (value: unknown) => (shape === "preview" ? UNKNOWN : value);
    const urn = `urn:pulumi:dev::${projectName}::${type}::batch`;
    return {
        urn,
        type,
        name: "batch",
        properties: {
            type: "MANAGED",
            serviceRole: pending("arn:aws:iam::123456789012:role/batch"),
            computeResources: {
                type: "EC2",
                maxVcpus: 16,
                subnets: pending(["subnet-1"]),
                instanceRole: pending("arn:aws:iam::123456789012:instance-profile/ecs"),
                ...computeResources,
            },
        },
        propertyDependencies: {},
        dependencies: [],
    };
}

const JOB = "aws:batch/jobDefinition:JobDefinition";
const EMR = "aws:emrserverless/application:Application";
const EMR_GRAVITON = "emr-serverless-application-graviton";
const EMR_UNKNOWN = "emr-serverless-application-architecture-unknown";
const DECLARES = "batch-job-definition-declares-architecture";
const GRAVITON = "batch-job-definition-graviton";

// A Fargate job definition; in the preview shape its parameters come from a resource not created yet.
function fargateJob(shape: "preview" | "update", runtimePlatform: unknown, type = JOB): EngineResource {
    const container = { image: "public.ecr.aws/example/job:1", runtimePlatform };
    return {
        urn: `urn:pulumi:dev::${projectName}::${type}::etl`,
        type,
        name: "etl",
        properties: {
            type: "container",
            platformCapabilities: ["FARGATE"],
            parameters: shape === "preview" ? UNKNOWN : { bucket: "etl-input" },
            containerProperties: type === JOB ? JSON.stringify(container) : container,
        },
        propertyDependencies: {},
        dependencies: [],
    };
}

// An EMR Serverless application; in the preview shape its network configuration comes from resources not created yet.
function emrApplication(shape: "preview" | "update", architecture: unknown, type = EMR): EngineResource {
    return {
        urn: `urn:pulumi:dev::${projectName}::${type}::spark`,
        type,
        name: "spark",
        properties: {
            releaseLabel: "emr-7.1.0",
            type: "spark",
            architecture,
            networkConfiguration: { subnetIds: shape === "preview" ? UNKNOWN : ["subnet-1"] },
        },
        propertyDependencies: {},
        dependencies: [],
    };
}

const levels = (result: AnalysisResult, policy: string) =>
    result.diagnostics.filter((diagnostic) => diagnostic.policyName === policy).map((d) => d.enforcementLevel);

describe("Batch and EMR Serverless policies over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    const sessions: Partial<Record<"preview" | "update" | "graviton-preview" | "graviton-update", PolicyPackSession>> =
        {};
    const context = { project: projectName, stack: "dev" };

    before(async () => {
        const graviton = { config: packConfig({ requireGraviton: true }) as PackConfigFile };
        [sessions.preview, sessions.update, sessions["graviton-preview"], sessions["graviton-update"]] =
            await Promise.all([
                packSession({ ...context, dryRun: true }),
                packSession({ ...context, dryRun: false }),
                packSession({ ...context, dryRun: true }, graviton),
                packSession({ ...context, dryRun: false }, graviton),
            ]);
    });

    it("in a first preview, containerProperties built from other outputs is left to the engine's advisory", async () => {
        const job = fargateJob("preview", undefined);
        const result = await (sessions["graviton-preview"] as PolicyPackSession).analyze({
            ...job,
            properties: { ...job.properties, containerProperties: UNKNOWN },
        });
        assert.deepEqual(levels(result, GRAVITON), ["advisory"]);
        assert.match(
            result.diagnostics.find((d) => d.policyName === GRAVITON)?.message ?? "",
            /can't run policy .* during preview/,
        );
    });

    for (const shape of ["preview", "update"] as const) {
        const analyze = (resource: EngineResource) => (sessions[shape] as PolicyPackSession).analyze(resource);

        describe(`as a ${shape === "preview" ? "first preview" : "update"}`, () => {
            it("passes a Graviton environment with ECS_AL2023, with not one diagnostic", async () => {
                const result = await analyze(
                    computeEnvironment(shape, {
                        instanceTypes: ["m7g.large", "c7g"],
                        ec2Configurations: [{ imageType: "ECS_AL2023" }],
                    }),
                );
                assert.deepEqual(result.diagnostics, []);
            });

            it("blocks arm64 and x86_64 instance types in one environment (mandatory)", async () => {
                const result = await analyze(computeEnvironment(shape, { instanceTypes: ["m7g.large", "m5.large"] }));
                assert.deepEqual(levels(result, MATCH), ["mandatory"]);
            });

            it("blocks optimal beside a Graviton family, for the aws-native token too", async () => {
                for (const type of [CE, NATIVE_CE]) {
                    const result = await analyze(
                        computeEnvironment(shape, { instanceTypes: ["c7g", "optimal"] }, type),
                    );
                    assert.deepEqual(levels(result, MATCH), ["mandatory"], type);
                }
            });

            it("blocks the x86-only ECS_AL2_NVIDIA image type with Graviton types", async () => {
                const result = await analyze(
                    computeEnvironment(shape, {
                        instanceTypes: ["g5g.xlarge"],
                        ec2Configurations: [{ imageType: "ECS_AL2_NVIDIA" }],
                    }),
                );
                assert.deepEqual(levels(result, MATCH), ["mandatory"]);
            });

            it("with requireGraviton, blocks a consistent x86_64 environment and passes default_arm64", async () => {
                const graviton = sessions[`graviton-${shape}`] as PolicyPackSession;
                const x86 = await graviton.analyze(computeEnvironment(shape, { instanceTypes: ["default_x86_64"] }));
                assert.deepEqual(levels(x86, MATCH), ["mandatory"]);
                const arm = await graviton.analyze(computeEnvironment(shape, { instanceTypes: ["default_arm64"] }));
                assert.deepEqual(arm.diagnostics, []);
            });

            it("job definitions: an ARM64 Fargate job passes, an undeclared one is advisory, for both tokens", async () => {
                for (const type of [JOB, "aws-native:batch:JobDefinition"]) {
                    const arm = await analyze(fargateJob(shape, { cpuArchitecture: "ARM64" }, type));
                    assert.deepEqual(arm.diagnostics, [], type);
                    const unset = await analyze(fargateJob(shape, undefined, type));
                    assert.deepEqual(levels(unset, DECLARES), ["advisory"], type);
                    assert.deepEqual(levels(unset, GRAVITON), [], type);
                }
            });

            it("job definitions, with requireGraviton: X86_64 set or by default is mandatory, and not also advisory", async () => {
                const graviton = sessions[`graviton-${shape}`] as PolicyPackSession;
                for (const runtimePlatform of [undefined, { cpuArchitecture: "X86_64" }]) {
                    const result = await graviton.analyze(fargateJob(shape, runtimePlatform));
                    assert.deepEqual(levels(result, GRAVITON), ["mandatory"], JSON.stringify(runtimePlatform));
                    assert.deepEqual(levels(result, DECLARES), [], JSON.stringify(runtimePlatform));
                }
                const arm = await graviton.analyze(fargateJob(shape, { cpuArchitecture: "ARM64" }));
                assert.deepEqual(arm.diagnostics, []);
            });

            it("EMR Serverless, with requireGraviton: X86_64 is mandatory, unset is advisory, ARM64 passes, both tokens", async () => {
                const graviton = sessions[`graviton-${shape}`] as PolicyPackSession;
                for (const type of [EMR, "aws-native:emrserverless:Application"]) {
                    const x86 = await graviton.analyze(emrApplication(shape, "X86_64", type));
                    assert.deepEqual(levels(x86, EMR_GRAVITON), ["mandatory"], type);
                    const unset = await graviton.analyze(emrApplication(shape, undefined, type));
                    assert.deepEqual(levels(unset, EMR_GRAVITON), [], type);
                    assert.deepEqual(levels(unset, EMR_UNKNOWN), ["advisory"], type);
                    assert.deepEqual(
                        (await graviton.analyze(emrApplication(shape, "ARM64", type))).diagnostics,
                        [],
                        type,
                    );
                }
                // Without requireGraviton there is nothing to compare an application's architecture against.
                const plain = await (sessions[shape] as PolicyPackSession).analyze(emrApplication(shape, "X86_64"));
                assert.deepEqual(plain.diagnostics, []);
            });

            it("reports an AMI override as advisory, never mandatory", async () => {
                const result = await analyze(
                    computeEnvironment(shape, {
                        instanceTypes: ["m7g.large"],
                        ec2Configurations: [{ imageType: "ECS_AL2023", imageIdOverride: "ami-0123456789abcdef0" }],
                    }),
                );
                assert.deepEqual(levels(result, MATCH), []);
                assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"]);
            });
        });
    }

    it("in a first preview, instance types from another resource are advisory, not mandatory and not silent", async () => {
        const result = await (sessions.preview as PolicyPackSession).analyze(
            computeEnvironment("preview", { instanceTypes: UNKNOWN }),
        );
        assert.deepEqual(levels(result, MATCH), []);
        assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"]);
    });
});
