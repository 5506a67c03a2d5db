import * as assert from "node:assert/strict";
import { lambdaArm64Only } from "../lambda";
import { LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION } from "../resourceTypes";
import { ResourceCase, UNKNOWN, pinnedReference, runResourcePolicy } from "./args";

const REPOSITORY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";

// A function that passes; each case changes one property.
function armFunction(props: Record<string, unknown> = {}, extra: Partial<ResourceCase> = {}): ResourceCase {
    return {
        type: LAMBDA_FUNCTION,
        name: "api-fn",
        props: {
            packageType: "Image",
            imageUri: pinnedReference(REPOSITORY),
            role: "arn:aws:iam::123456789012:role/fn",
            architectures: ["arm64"],
            ...props,
        },
        ...extra,
    };
}

describe("policy lambda-arm64-only", () => {
    it('passes a function with architectures ["arm64"]', async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction());
        assert.deepEqual(result.violations, []);
        assert.equal(result.notApplicable, false);
    });

    it('passes an aws-native function with architectures ["arm64"]', async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({}, { type: NATIVE_LAMBDA_FUNCTION }));
        assert.deepEqual(result.violations, []);
    });

    it("rejects a function without architectures, because Lambda then runs x86_64", async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: undefined }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /Lambda function "api-fn": architectures is unset, so Lambda runs the function on x86_64/,
        );
        assert.match(result.violations[0], /Required: architectures must be exactly \["arm64"\]/);
        assert.match(result.violations[0], /Fix: set architectures: \["arm64"\] and deploy an arm64 build/);
        assert.match(result.violations[0], /arm64 single-platform digest/);
    });

    it('rejects architectures ["x86_64"]', async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: ["x86_64"] }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /architectures is \["x86_64"\]/);
    });

    it("rejects two architectures, which Lambda does not accept", async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: ["arm64", "x86_64"] }));
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /exactly one architecture/);
    });

    it("rejects an empty architectures list", async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: [] }));
        assert.equal(result.violations.length, 1);
    });

    it("rejects an aws-native function without architectures", async () => {
        const result = await runResourcePolicy(
            lambdaArm64Only,
            armFunction({ architectures: undefined }, { type: NATIVE_LAMBDA_FUNCTION }),
        );
        assert.equal(result.violations.length, 1);
    });

    it("checks zip functions too (architecture is about the function, not the package)", async () => {
        const result = await runResourcePolicy(
            lambdaArm64Only,
            armFunction({ packageType: "Zip", imageUri: undefined, architectures: ["x86_64"] }),
        );
        assert.equal(result.violations.length, 1);
    });

    it("is not applicable to other resource types", async () => {
        const result = await runResourcePolicy(lambdaArm64Only, { type: "aws:s3/bucket:Bucket", props: {} });
        assert.equal(result.notApplicable, true);
        assert.match(result.notApplicableReason ?? "", /aws:lambda\/function:Function/);
    });

    it("honours an exemption naming the function", async () => {
        const config = { exemptions: [{ resourceName: "api-fn", reason: "native dependency has no arm64 build yet" }] };
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: ["x86_64"] }, { config }));
        assert.deepEqual(result.violations, []);
    });

    it("ignores an exemption for another resource", async () => {
        const config = { exemptions: [{ resourceName: "other-fn", reason: "legacy" }] };
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: ["x86_64"] }, { config }));
        assert.equal(result.violations.length, 1);
    });

    it("ignores an exemption whose reason is blank", async () => {
        const config = { exemptions: [{ resourceName: "api-fn", reason: "   " }] };
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: ["x86_64"] }, { config }));
        assert.equal(result.violations.length, 1);
    });

    it("leaves an unknown architectures value to the engine's preview advisory instead of crashing", async () => {
        const result = await runResourcePolicy(lambdaArm64Only, armFunction({ architectures: UNKNOWN.array }));
        assert.deepEqual(result.violations, []);
        assert.match(result.unknownDuringPreview ?? "", /lambda-arm64-only.*during preview.*\.architectures/);
    });

    it("still judges the function when only an unrelated value (imageUri) is unknown", async () => {
        const result = await runResourcePolicy(
            lambdaArm64Only,
            armFunction({ imageUri: UNKNOWN.string, architectures: ["x86_64"] }),
        );
        assert.equal(result.unknownDuringPreview, undefined);
        assert.equal(result.violations.length, 1);
    });
});
