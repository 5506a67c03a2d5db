import * as assert from "node:assert/strict";
import { batchJobDefinitionDeclaresArchitecture, batchJobDefinitionGraviton } from "../batch";
import { BATCH_JOB_DEFINITION, NATIVE_BATCH_JOB_DEFINITION } from "../resourceTypes";
import { ResourceCase, UNKNOWN, runResourcePolicy } from "./args";

const ARM_CONTAINER = {
    image: "public.ecr.aws/example/job:1",
    resourceRequirements: [
        { type: "VCPU", value: "0.25" },
        { type: "MEMORY", value: "512" },
    ],
    runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
};

// A Fargate job definition declaring ARM64 that passes both policies; each case changes one property.
function fargateJob(
    props: Record<string, unknown> = {},
    config?: Record<string, unknown>,
    container: Record<string, unknown> = {},
): ResourceCase {
    return {
        type: BATCH_JOB_DEFINITION,
        name: "etl-job",
        props: {
            name: "etl",
            type: "container",
            platformCapabilities: ["FARGATE"],
            containerProperties: JSON.stringify({ ...ARM_CONTAINER, ...container }),
            ...props,
        },
        config,
    };
}

const declares = (testCase: ResourceCase) => runResourcePolicy(batchJobDefinitionDeclaresArchitecture, testCase);
const graviton = (testCase: ResourceCase) => runResourcePolicy(batchJobDefinitionGraviton, testCase);
const REQUIRE = { requireGraviton: true };

describe("policy batch-job-definition-declares-architecture", () => {
    it("passes a Fargate job that declares ARM64, and one that declares X86_64", async () => {
        assert.deepEqual((await declares(fargateJob())).violations, []);
        const x86 = fargateJob({}, undefined, { runtimePlatform: { cpuArchitecture: "X86_64" } });
        assert.deepEqual((await declares(x86)).violations, []);
    });

    it("reports a Fargate job without runtimePlatform, which runs X86_64", async () => {
        const result = await declares(fargateJob({}, undefined, { runtimePlatform: undefined }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /Batch job definition "etl-job": platformCapabilities includes FARGATE but containerProperties.runtimePlatform.cpuArchitecture is unset, so Batch runs the job on X86_64/,
        );
        assert.match(result.violations[0], /Fix: set "runtimePlatform": \{ "cpuArchitecture": "ARM64"/);
    });

    it("reads the aws-native token's containerProperties object", async () => {
        const native = {
            ...fargateJob({ containerProperties: { image: "public.ecr.aws/example/job:1" } }),
            type: NATIVE_BATCH_JOB_DEFINITION,
        };
        assert.equal((await declares(native)).violations.length, 1);
    });

    it("reports a value Batch does not accept, and JSON it cannot read", async () => {
        const lower = await declares(fargateJob({}, undefined, { runtimePlatform: { cpuArchitecture: "arm64" } }));
        assert.match(lower.violations[0], /"arm64", which Batch does not accept/);
        const broken = await declares(fargateJob({ containerProperties: "{not json" }));
        assert.match(broken.violations[0], /containerProperties is not valid JSON/);
    });

    it("leaves the unset architecture to the mandatory policy when requireGraviton is set", async () => {
        assert.deepEqual((await declares(fargateJob({}, REQUIRE, { runtimePlatform: undefined }))).violations, []);
    });

    it("does not apply to EC2 job definitions", async () => {
        assert.equal((await declares(fargateJob({ platformCapabilities: ["EC2"] }))).notApplicable, true);
        assert.equal((await declares(fargateJob({ platformCapabilities: undefined }))).notApplicable, true);
    });

    it("leaves containerProperties unknown during preview to the engine's advisory", async () => {
        const result = await declares(fargateJob({ containerProperties: UNKNOWN.string }));
        assert.match(result.unknownDuringPreview ?? "", /can't run policy/);
    });
});

describe("policy batch-job-definition-graviton", () => {
    it("is silent without requireGraviton", async () => {
        assert.deepEqual((await graviton(fargateJob({}, undefined, { runtimePlatform: undefined }))).violations, []);
    });

    it("with requireGraviton, passes ARM64", async () => {
        assert.deepEqual((await graviton(fargateJob({}, REQUIRE))).violations, []);
    });

    it("with requireGraviton, rejects an unset architecture (X86_64 by default)", async () => {
        const result = await graviton(fargateJob({}, REQUIRE, { runtimePlatform: undefined }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /cpuArchitecture is unset, so Batch runs the job on X86_64. Required: requireGraviton is set/,
        );
    });

    it("with requireGraviton, rejects X86_64 declared", async () => {
        const result = await graviton(fargateJob({}, REQUIRE, { runtimePlatform: { cpuArchitecture: "X86_64" } }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /cpuArchitecture is X86_64/);
    });

    it("honours an exemption", async () => {
        const config = { ...REQUIRE, exemptions: [{ resourceName: "etl-job", reason: "x86 codec; OPS-9" }] };
        assert.deepEqual((await graviton(fargateJob({}, config, { runtimePlatform: undefined }))).violations, []);
    });
});
