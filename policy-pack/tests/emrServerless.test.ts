import * as assert from "node:assert/strict";
import { emrServerlessApplicationArchitectureUnknown, emrServerlessApplicationGraviton } from "../emrServerless";
import { EMR_SERVERLESS_APPLICATION, NATIVE_EMR_SERVERLESS_APPLICATION } from "../resourceTypes";
import { ResourceCase, UNKNOWN, runResourcePolicy } from "./args";

const REQUIRE = { requireGraviton: true };

// An ARM64 Spark application that passes both policies; each case changes one property.
function application(
    props: Record<string, unknown> = {},
    config: Record<string, unknown> | undefined = REQUIRE,
    type = EMR_SERVERLESS_APPLICATION,
): ResourceCase {
    return {
        type,
        name: "spark-app",
        props: { name: "spark", releaseLabel: "emr-7.1.0", type: "spark", architecture: "ARM64", ...props },
        config,
    };
}

const graviton = (testCase: ResourceCase) => runResourcePolicy(emrServerlessApplicationGraviton, testCase);
const unknown = (testCase: ResourceCase) => runResourcePolicy(emrServerlessApplicationArchitectureUnknown, testCase);

describe("policy emr-serverless-application-graviton", () => {
    it("with requireGraviton, passes ARM64", async () => {
        assert.deepEqual((await graviton(application())).violations, []);
    });

    it("with requireGraviton, rejects X86_64, for both tokens", async () => {
        for (const type of [EMR_SERVERLESS_APPLICATION, NATIVE_EMR_SERVERLESS_APPLICATION]) {
            const result = await graviton(application({ architecture: "X86_64" }, REQUIRE, type));
            assert.equal(result.violations.length, 1, type);
            assert.match(
                result.violations[0],
                /EMR Serverless application "spark-app": architecture is X86_64. Required: requireGraviton is set/,
            );
            assert.match(result.violations[0], /Fix: set architecture: "ARM64"/);
        }
    });

    it("is silent without requireGraviton: nothing else in an application has an architecture", async () => {
        assert.deepEqual((await graviton(application({ architecture: "X86_64" }, {}))).violations, []);
    });

    it("leaves an unset architecture to the advisory policy", async () => {
        assert.deepEqual((await graviton(application({ architecture: undefined }))).violations, []);
    });

    it("honours an exemption", async () => {
        const config = { ...REQUIRE, exemptions: [{ resourceName: "spark-app", reason: "x86 UDF jar; OPS-5" }] };
        assert.deepEqual((await graviton(application({ architecture: "X86_64" }, config))).violations, []);
    });

    it("leaves an architecture not known during preview to the engine's advisory", async () => {
        const result = await graviton(application({ architecture: UNKNOWN.string }));
        assert.match(result.unknownDuringPreview ?? "", /can't run policy/);
    });
});

describe("policy emr-serverless-application-architecture-unknown", () => {
    it("with requireGraviton, reports an unset architecture", async () => {
        const result = await unknown(application({ architecture: undefined }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /architecture is unset; the aws provider documents X86_64 as the default/);
    });

    it("with requireGraviton, reports an unrecognised value", async () => {
        const result = await unknown(application({ architecture: "arm64" }));
        assert.match(result.violations[0], /"arm64", which is neither ARM64 nor X86_64/);
    });

    it("passes a declared architecture, and says nothing without requireGraviton", async () => {
        assert.deepEqual((await unknown(application())).violations, []);
        assert.deepEqual((await unknown(application({ architecture: "X86_64" }))).violations, []);
        assert.deepEqual((await unknown(application({ architecture: undefined }, {}))).violations, []);
    });
});
