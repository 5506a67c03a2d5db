// lambdaArtifacts.ts over the Analyzer gRPC protocol: each policy in a first-preview shape (unknown references,
// traced through property dependencies) and an update shape (known digests and ARNs), and the program's own stack.

import * as assert from "node:assert/strict";
import { engineResources } from "../../commands/check/engineResources";
import { AnalysisResult, EngineResource, PolicyPackSession, UNKNOWN } from "../../harness/policyAnalyzer";
import { projectName, stackRun } from "../../tests/harness";
import { engineResource, urn } from "./engine";
import { packSession } from "./sessions";

const LAMBDA = "aws:lambda/function:Function";
const NATIVE_LAMBDA = "aws-native:lambda:Function";
const LAYER = "aws:lambda/layerVersion:LayerVersion";
const NATIVE_LAYER = "aws-native:lambda:LayerVersion";
const IMAGE = "docker-build:index:Image";
const INDEX = "docker-build:index:Index";
const REPOSITORY = "aws:ecr/repository:Repository";
const REPO_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";
const DIGEST = {
    amd64: `sha256:${"a".repeat(64)}`,
    arm64: `sha256:${"b".repeat(64)}`,
    index: `sha256:${"c".repeat(64)}`,
};
const LAYER_ARN = "arn:aws:lambda:us-east-1:123456789012:layer:deps:3";
const OUTSIDE_LAYER_ARN = "arn:aws:lambda:us-east-1:210987654321:layer:vendor-tools:7";

type Shape = "preview" | "update";

/** The repository, one Image per platform and their Index, as a first preview plans them or an update reports them. */
function images(shape: Shape): EngineResource[] {
    const known = shape === "update";
    const repository = engineResource(REPOSITORY, "app", { repositoryUrl: known ? REPO_URL : UNKNOWN });
    const image = (arch: "amd64" | "arm64") =>
        engineResource(
            IMAGE,
            `app-${arch}`,
            {
                push: true,
                platforms: [`linux/${arch}`],
                tags: known ? [`${REPO_URL}:release-1-${arch}`] : UNKNOWN,
                digest: known ? DIGEST[arch] : UNKNOWN,
                ref: known ? `${REPO_URL}:release-1-${arch}@${DIGEST[arch]}` : UNKNOWN,
            },
            { tags: [repository.urn] },
        );
    const [amd64, arm64] = [image("amd64"), image("arm64")];
    const index = engineResource(
        INDEX,
        "app",
        {
            push: true,
            tag: known ? `${REPO_URL}:release-1` : UNKNOWN,
            sources: known ? [amd64.properties.ref, arm64.properties.ref] : UNKNOWN,
            ref: known ? `${REPO_URL}:release-1@${DIGEST.index}` : UNKNOWN,
        },
        { tag: [repository.urn], sources: [amd64.urn, arm64.urn] },
    );
    return [repository, amd64, arm64, index];
}

/** An arm64 image function whose imageUri names `target` (the digest in an update, the dependency in a preview). */
function imageFunction(shape: Shape, target: "amd64" | "arm64" | "index" | "outside", type = LAMBDA): EngineResource {
    const digest = target === "outside" ? `sha256:${"d".repeat(64)}` : DIGEST[target];
    const imageUri = shape === "update" ? `${REPO_URL}@${digest}` : UNKNOWN;
    const sources = [
        urn(REPOSITORY, "app"),
        ...(target === "outside"
            ? []
            : [urn(target === "index" ? INDEX : IMAGE, target === "index" ? "app" : `app-${target}`)]),
    ];
    const properties =
        type === LAMBDA
            ? { packageType: "Image", architectures: ["arm64"], imageUri }
            : { packageType: "Image", architectures: ["arm64"], code: { imageUri } };
    return engineResource(type, "api-fn", properties, { [type === LAMBDA ? "imageUri" : "code"]: sources });
}

function layer(shape: Shape, compatibleArchitectures: string[], type = LAYER): EngineResource {
    const arnProperty = type === LAYER ? "arn" : "layerVersionArn";
    return engineResource(type, "deps", {
        compatibleArchitectures,
        [arnProperty]: shape === "update" ? LAYER_ARN : UNKNOWN,
    });
}

/** An arm64 zip function with one layer: the in-stack one (its ARN unknown in a preview) or one from elsewhere. */
function layeredFunction(shape: Shape, which: "stack" | "outside", layerType = LAYER): EngineResource {
    if (which === "outside") {
        return engineResource(LAMBDA, "worker-fn", {
            packageType: "Zip",
            architectures: ["arm64"],
            layers: [OUTSIDE_LAYER_ARN],
        });
    }
    return engineResource(
        LAMBDA,
        "worker-fn",
        { packageType: "Zip", architectures: ["arm64"], layers: shape === "update" ? [LAYER_ARN] : [UNKNOWN] },
        { layers: [urn(layerType, "deps")] },
    );
}

const ours = (result: AnalysisResult, policy: string) =>
    result.diagnostics.filter((diagnostic) => diagnostic.policyName === policy);

describe("lambda image and layer architectures over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    const sessions = {} as Record<Shape, PolicyPackSession>;

    before(async () => {
        const context = { project: projectName, stack: "dev" };
        [sessions.preview, sessions.update] = await Promise.all([
            packSession({ ...context, dryRun: true }),
            packSession({ ...context, dryRun: false }),
        ]);
    });

    for (const shape of ["preview", "update"] as const) {
        describe(`as ${shape === "preview" ? "a first preview" : "an update"}`, () => {
            it("lambda-image-architecture-match: blocks an arm64 function on the amd64 Image", async () => {
                const result = await sessions[shape].analyzeStack([...images(shape), imageFunction(shape, "amd64")]);
                const [violation, ...others] = ours(result, "lambda-image-architecture-match");
                assert.deepEqual(others, []);
                assert.equal(violation?.enforcementLevel, "mandatory");
                assert.match(
                    violation.message,
                    /Lambda function "api-fn": it runs on arm64, but its image is docker-build Image "app-amd64" \(linux\/amd64\)/,
                );
                assert.match(violation.message, /Fix: point imageUri at the linux\/arm64 image's digest/);
                assert.match(violation.urn ?? "", /api-fn$/);
            });

            it("passes an arm64 function on the arm64 Image, and on the Index (its sources together)", async () => {
                for (const target of ["arm64", "index"] as const) {
                    const result = await sessions[shape].analyzeStack([...images(shape), imageFunction(shape, target)]);
                    assert.deepEqual(ours(result, "lambda-image-architecture-match"), [], target);
                    assert.deepEqual(ours(result, "lambda-image-architecture-unknown"), [], target);
                }
            });

            it("judges the aws-native function's code.imageUri the same way", async () => {
                const bad = await sessions[shape].analyzeStack([
                    ...images(shape),
                    imageFunction(shape, "amd64", NATIVE_LAMBDA),
                ]);
                assert.equal(ours(bad, "lambda-image-architecture-match").length, 1);
                const good = await sessions[shape].analyzeStack([
                    ...images(shape),
                    imageFunction(shape, "arm64", NATIVE_LAMBDA),
                ]);
                assert.deepEqual(ours(good, "lambda-image-architecture-match"), []);
            });

            it("lambda-image-architecture-unknown: an image built outside the stack is advisory, never mandatory", async () => {
                const result = await sessions[shape].analyzeStack([...images(shape), imageFunction(shape, "outside")]);
                assert.deepEqual(ours(result, "lambda-image-architecture-match"), []);
                const [advisory, ...others] = ours(result, "lambda-image-architecture-unknown");
                assert.deepEqual(others, []);
                assert.equal(advisory?.enforcementLevel, "advisory");
                assert.match(advisory.message, /architecture of its image cannot be verified/);
            });

            it("lambda-layer-architecture-match: blocks an arm64 function with an x86_64-only layer of the stack", async () => {
                for (const layerType of [LAYER, NATIVE_LAYER]) {
                    const result = await sessions[shape].analyzeStack([
                        layer(shape, ["x86_64"], layerType),
                        layeredFunction(shape, "stack", layerType),
                    ]);
                    const [violation, ...others] = ours(result, "lambda-layer-architecture-match");
                    assert.deepEqual(others, [], layerType);
                    assert.equal(violation?.enforcementLevel, "mandatory", layerType);
                    assert.match(violation.message, /its layer "deps" has compatibleArchitectures \["x86_64"\]/);
                }
                const good = await sessions[shape].analyzeStack([
                    layer(shape, ["x86_64", "arm64"]),
                    layeredFunction(shape, "stack"),
                ]);
                assert.deepEqual(ours(good, "lambda-layer-architecture-match"), []);
                assert.deepEqual(ours(good, "lambda-layer-architecture-unknown"), []);
            });

            it("lambda-layer-architecture-unknown: a layer from outside the stack is advisory", async () => {
                const result = await sessions[shape].analyzeStack([
                    layer(shape, ["x86_64"]),
                    layeredFunction(shape, "outside"),
                ]);
                assert.deepEqual(ours(result, "lambda-layer-architecture-match"), []);
                const [advisory, ...others] = ours(result, "lambda-layer-architecture-unknown");
                assert.deepEqual(others, []);
                assert.equal(advisory?.enforcementLevel, "advisory");
                assert.match(
                    advisory.message,
                    new RegExp(`layer ${OUTSIDE_LAYER_ARN} is not a LayerVersion of this stack`),
                );
            });

            it("the program's own arm64 Lambda passes on the arm64 child of its image index, and fails on the amd64 one", async () => {
                const run = await stackRun("dev");
                const resources = engineResources(projectName, "dev", run.resources, shape);
                const result = await sessions[shape].run(resources);
                for (const policy of ["lambda-image-architecture-match", "lambda-image-architecture-unknown"]) {
                    assert.deepEqual(ours(result, policy), [], policy);
                    assert.deepEqual(
                        result.notApplicable.filter((entry) => entry.policyName === policy),
                        [],
                        policy,
                    );
                }
                // Point the function at the amd64 child instead: the same trace must now find a conflict.
                const outputs = resources.map(({ outputs }) => outputs);
                const fn = outputs.find((candidate) => candidate.type === LAMBDA);
                const arm = outputs.find((candidate) => candidate.type === IMAGE && candidate.name.endsWith("-arm64"));
                const amd = outputs.find((candidate) => candidate.type === IMAGE && candidate.name.endsWith("-amd64"));
                assert.ok(fn && arm && amd);
                const swapped: EngineResource =
                    shape === "preview"
                        ? {
                              ...fn,
                              propertyDependencies: {
                                  ...fn.propertyDependencies,
                                  imageUri: (fn.propertyDependencies?.imageUri ?? []).map((source) =>
                                      source === arm.urn ? amd.urn : source,
                                  ),
                              },
                          }
                        : {
                              ...fn,
                              properties: {
                                  ...fn.properties,
                                  imageUri: String(fn.properties.imageUri).replace(
                                      String(arm.properties.digest),
                                      String(amd.properties.digest),
                                  ),
                              },
                          };
                assert.ok(
                    shape === "preview"
                        ? fn.propertyDependencies?.imageUri?.includes(arm.urn)
                        : String(fn.properties.imageUri).includes(String(arm.properties.digest)),
                );
                const blocked = await sessions[shape].analyzeStack(
                    outputs.map((candidate) => (candidate === fn ? swapped : candidate)),
                );
                assert.equal(ours(blocked, "lambda-image-architecture-match").length, 1);
            });
        });
    }
});
