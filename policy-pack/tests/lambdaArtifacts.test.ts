import * as assert from "node:assert/strict";
import {
    lambdaImageArchitectureMatch,
    lambdaImageArchitectureUnknown,
    lambdaLayerArchitectureMatch,
    lambdaLayerArchitectureUnknown,
} from "../lambdaArtifacts";
import {
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    LAMBDA_FUNCTION,
    LAMBDA_LAYER_VERSION,
    NATIVE_LAMBDA_FUNCTION,
    NATIVE_LAMBDA_LAYER_VERSION,
} from "../resourceTypes";
import { ResourceSnapshot, UNKNOWN, resource, runStackPolicy } from "./args";

const REPOSITORY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";
const AMD64 = `sha256:${"a".repeat(64)}`;
const ARM64 = `sha256:${"b".repeat(64)}`;
const INDEX = `sha256:${"c".repeat(64)}`;
const LAYER_ARN = "arn:aws:lambda:us-east-1:123456789012:layer:deps:3";

// The project's images: one per platform, joined by an Index (update outputs: every value known).
const amd64Image = (props: Record<string, unknown> = {}) =>
    resource(DOCKER_BUILD_IMAGE, "app-amd64", {
        platforms: ["linux/amd64"],
        tags: [`${REPOSITORY}:release-1-amd64`],
        digest: AMD64,
        ref: `${REPOSITORY}:release-1-amd64@${AMD64}`,
        ...props,
    });
const arm64Image = (props: Record<string, unknown> = {}) =>
    resource(DOCKER_BUILD_IMAGE, "app-arm64", {
        platforms: ["linux/arm64"],
        tags: [`${REPOSITORY}:release-1-arm64`],
        digest: ARM64,
        ref: `${REPOSITORY}:release-1-arm64@${ARM64}`,
        ...props,
    });
const index = (props: Record<string, unknown> = {}, dependsOn: Record<string, ResourceSnapshot[]> = {}) =>
    resource(
        DOCKER_BUILD_INDEX,
        "app",
        {
            tag: `${REPOSITORY}:release-1`,
            sources: [`${REPOSITORY}:release-1-amd64@${AMD64}`, `${REPOSITORY}:release-1-arm64@${ARM64}`],
            ref: `${REPOSITORY}:release-1@${INDEX}`,
            ...props,
        },
        dependsOn,
    );

// A function that passes: arm64, on the arm64 child's digest. Each case changes one property.
const imageFunction = (props: Record<string, unknown> = {}, dependsOn: Record<string, ResourceSnapshot[]> = {}) =>
    resource(
        LAMBDA_FUNCTION,
        "api-fn",
        { packageType: "Image", architectures: ["arm64"], imageUri: `${REPOSITORY}@${ARM64}`, ...props },
        dependsOn,
    );
const imageStack = (fn: ResourceSnapshot, images: ResourceSnapshot[] = [amd64Image(), arm64Image(), index()]) => [
    ...images,
    fn,
];

// A zip function with one in-stack layer that passes: both arm64.
const layerVersion = (props: Record<string, unknown> = {}, type = LAMBDA_LAYER_VERSION) =>
    resource(type, "deps", { compatibleArchitectures: ["arm64"], arn: LAYER_ARN, ...props });
const zipFunction = (props: Record<string, unknown> = {}, dependsOn: Record<string, ResourceSnapshot[]> = {}) =>
    resource(
        LAMBDA_FUNCTION,
        "worker-fn",
        { packageType: "Zip", architectures: ["arm64"], layers: [LAYER_ARN], ...props },
        dependsOn,
    );

describe("policy lambda-image-architecture-match", () => {
    it("passes the arm64 function on the arm64 Image's digest", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, { resources: imageStack(imageFunction()) });
        assert.deepEqual(result.violations, []);
        assert.equal(result.notApplicable, false);
    });

    it("rejects the arm64 function on the amd64 Image's digest, naming image, platforms and fix", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: `${REPOSITORY}@${AMD64}` })),
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^Lambda function "api-fn": it runs on arm64, but its image is docker-build Image "app-amd64" \(linux\/amd64\), which has no linux\/arm64 image\. Required: .*Fix: point imageUri at the linux\/arm64 image's digest/,
        );
        assert.match(result.violations[0], /add \{ resourceName, reason \}/);
        assert.equal(result.urns[0], imageFunction().urn);
    });

    it("rejects an x86_64 function (architectures unset) on the arm64 Image", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ architectures: undefined })),
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /it runs on x86_64, .* no linux\/amd64 image/);
    });

    it("judges a first-preview unknown architectures with no property dependency as unset (x86_64)", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ architectures: UNKNOWN.array })),
        });
        assert.equal(result.violations.length, 1);
    });

    it("matches the Image by its ref, and by a tag when the reference is not pinned", async () => {
        for (const imageUri of [`${REPOSITORY}:release-1-amd64@${AMD64}`, `${REPOSITORY}:release-1-amd64`]) {
            const result = await runStackPolicy(lambdaImageArchitectureMatch, {
                resources: imageStack(imageFunction({ imageUri }), [amd64Image({ digest: undefined })]),
            });
            assert.equal(result.violations.length, 1, imageUri);
        }
    });

    it("passes the Index, whose sources together include arm64", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: `${REPOSITORY}@${INDEX}` })),
        });
        assert.deepEqual(result.violations, []);
    });

    it("rejects an Index joining only amd64 images", async () => {
        const amdOnly = index({ sources: [`${REPOSITORY}:release-1-amd64@${AMD64}`] });
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: `${REPOSITORY}@${INDEX}` }), [amd64Image(), amdOnly]),
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /docker-build Index "app" \(linux\/amd64\)/);
    });

    it("traces an unknown imageUri (a first preview) to the Image it was computed from", async () => {
        const image = amd64Image({ digest: UNKNOWN.string, ref: UNKNOWN.string });
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: UNKNOWN.string }, { imageUri: [image] }), [image]),
        });
        assert.equal(result.violations.length, 1);
    });

    it("traces an unknown Index's sources through their property dependencies", async () => {
        const [amd, arm] = [amd64Image({ ref: UNKNOWN.string }), arm64Image({ ref: UNKNOWN.string })];
        const joined = index({ sources: UNKNOWN.array, ref: UNKNOWN.string }, { sources: [amd, arm] });
        const pass = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: UNKNOWN.string }, { imageUri: [joined] }), [
                amd,
                arm,
                joined,
            ]),
        });
        assert.deepEqual(pass.violations, []);
        const amdOnly = index({ sources: UNKNOWN.array, ref: UNKNOWN.string }, { sources: [amd] });
        const fail = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: UNKNOWN.string }, { imageUri: [amdOnly] }), [amd, amdOnly]),
        });
        assert.equal(fail.violations.length, 1);
    });

    it("judges the aws-native function's code.imageUri", async () => {
        const native = resource(NATIVE_LAMBDA_FUNCTION, "api-fn", {
            packageType: "Image",
            architectures: ["arm64"],
            code: { imageUri: `${REPOSITORY}@${AMD64}` },
        });
        const result = await runStackPolicy(lambdaImageArchitectureMatch, { resources: imageStack(native) });
        assert.equal(result.violations.length, 1);
    });

    it("leaves an image built outside the stack to the advisory policy", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: `${REPOSITORY}@sha256:${"d".repeat(64)}` })),
        });
        assert.deepEqual(result.violations, []);
    });

    it("ignores zip functions", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ packageType: "Zip", imageUri: undefined })),
        });
        assert.deepEqual(result.violations, []);
    });

    it("honours an exemption naming the function", async () => {
        const config = { exemptions: [{ resourceName: "api-fn", reason: "emulated on purpose; OPS-7" }] };
        const result = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction({ imageUri: `${REPOSITORY}@${AMD64}` })),
            config,
        });
        assert.deepEqual(result.violations, []);
    });

    it("is not applicable to a stack without Lambda functions", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureMatch, { resources: [amd64Image()] });
        assert.equal(result.notApplicable, true);
    });
});

describe("policy lambda-image-architecture-unknown", () => {
    it("says nothing about an image it can judge", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, { resources: imageStack(imageFunction()) });
        assert.deepEqual(result.violations, []);
    });

    it("reports an image reference that no docker-build resource of the stack built", async () => {
        const outside = "public.ecr.aws/lambda/nodejs:22";
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, {
            resources: imageStack(imageFunction({ imageUri: outside })),
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /cannot be verified: imageUri "public\.ecr\.aws\/lambda\/nodejs:22" is not built/,
        );
    });

    it("reports an unknown imageUri with no docker-build dependency", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, {
            resources: imageStack(imageFunction({ imageUri: UNKNOWN.string })),
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /not known until the update runs/);
    });

    it("reports an Image without platforms (the builder's own)", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, {
            resources: imageStack(imageFunction(), [arm64Image({ platforms: undefined })]),
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /sets no platforms/);
    });

    it("reports a function whose architectures comes from another resource's unknown output", async () => {
        const parameter = resource("aws:ssm/parameter:Parameter", "arch", { value: UNKNOWN.string });
        const fn = imageFunction({ architectures: UNKNOWN.array }, { architectures: [parameter] });
        const resources = [parameter, ...imageStack(fn)];
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, { resources });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /its architectures is not known until the update runs/);
        const mandatory = await runStackPolicy(lambdaImageArchitectureMatch, { resources });
        assert.deepEqual(mandatory.violations, []);
    });

    it("reports an Image with a platform it does not recognise instead of rejecting it", async () => {
        const result = await runStackPolicy(lambdaImageArchitectureUnknown, {
            resources: imageStack(imageFunction(), [arm64Image({ platforms: ["linux/arm/v7"] })]),
        });
        assert.equal(result.violations.length, 1);
        const mandatory = await runStackPolicy(lambdaImageArchitectureMatch, {
            resources: imageStack(imageFunction(), [arm64Image({ platforms: ["linux/arm/v7"] })]),
        });
        assert.deepEqual(mandatory.violations, []);
    });
});

describe("policy lambda-layer-architecture-match", () => {
    it("passes an arm64 function with an arm64 layer", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion(), zipFunction()],
        });
        assert.deepEqual(result.violations, []);
        assert.equal(result.notApplicable, false);
    });

    it("rejects an x86_64-only layer on an arm64 function", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion({ compatibleArchitectures: ["x86_64"] }), zipFunction()],
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^Lambda function "worker-fn": it runs on arm64, but its layer "deps" has compatibleArchitectures \["x86_64"\]\. Required: .* Fix: build the layer for arm64/,
        );
    });

    it("rejects the arm64 layer on an x86_64 function", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion(), zipFunction({ architectures: ["x86_64"] })],
        });
        assert.equal(result.violations.length, 1);
    });

    it("passes a layer built for both", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion({ compatibleArchitectures: ["x86_64", "arm64"] }), zipFunction()],
        });
        assert.deepEqual(result.violations, []);
    });

    it("traces an unknown layer ARN (a first preview) to its LayerVersion", async () => {
        const layer = layerVersion({ compatibleArchitectures: ["x86_64"], arn: UNKNOWN.string });
        for (const layers of [[UNKNOWN.string], UNKNOWN.array]) {
            const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
                resources: [layer, zipFunction({ layers }, { layers: [layer] })],
            });
            assert.equal(result.violations.length, 1);
        }
    });

    it("judges the aws-native LayerVersion by its layerVersionArn", async () => {
        const native = layerVersion(
            { compatibleArchitectures: ["x86_64"], arn: undefined, layerVersionArn: LAYER_ARN },
            NATIVE_LAMBDA_LAYER_VERSION,
        );
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, { resources: [native, zipFunction()] });
        assert.equal(result.violations.length, 1);
    });

    it("judges an aws-native function's layers", async () => {
        const native = resource(NATIVE_LAMBDA_FUNCTION, "worker-fn", {
            packageType: "Zip",
            architectures: ["arm64"],
            layers: [LAYER_ARN],
        });
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion({ compatibleArchitectures: ["x86_64"] }), native],
        });
        assert.equal(result.violations.length, 1);
    });

    it("honours an exemption naming the function", async () => {
        const config = { exemptions: [{ resourceName: "worker-fn", reason: "layer holds only data; OPS-9" }] };
        const result = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion({ compatibleArchitectures: ["x86_64"] }), zipFunction()],
            config,
        });
        assert.deepEqual(result.violations, []);
    });
});

describe("policy lambda-layer-architecture-unknown", () => {
    it("says nothing about a layer it can judge", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureUnknown, {
            resources: [layerVersion(), zipFunction()],
        });
        assert.deepEqual(result.violations, []);
    });

    it("reports a layer ARN from outside the stack", async () => {
        const outside = "arn:aws:lambda:us-east-1:210987654321:layer:vendor-tools:7";
        const result = await runStackPolicy(lambdaLayerArchitectureUnknown, {
            resources: [layerVersion(), zipFunction({ layers: [outside] })],
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /layer arn:aws:lambda:us-east-1:210987654321:layer:vendor-tools:7 is not a LayerVersion of this stack/,
        );
        const mandatory = await runStackPolicy(lambdaLayerArchitectureMatch, {
            resources: [layerVersion(), zipFunction({ layers: [outside] })],
        });
        assert.deepEqual(mandatory.violations, []);
    });

    it("reports an in-stack layer that declares no compatibleArchitectures", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureUnknown, {
            resources: [layerVersion({ compatibleArchitectures: undefined }), zipFunction()],
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /declares no compatibleArchitectures/);
    });

    it("reports an unknown layer ARN with no LayerVersion dependency", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureUnknown, {
            resources: [layerVersion(), zipFunction({ layers: [UNKNOWN.string] })],
        });
        assert.equal(result.violations.length, 1);
    });

    it("ignores functions without layers", async () => {
        const result = await runStackPolicy(lambdaLayerArchitectureUnknown, {
            resources: [zipFunction({ layers: undefined })],
        });
        assert.deepEqual(result.violations, []);
    });
});
