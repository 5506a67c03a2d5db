import * as assert from "node:assert/strict";
import { dockerBuildImageIncludesArm64, isEcrReference, rawExportPushes, repositoryOf } from "../arm64Images";
import { imagesPinnedByDigest } from "../digests";
import {
    APP_RUNNER_SERVICE,
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    ECR_REPOSITORY,
    ECS_TASK_DEFINITION,
    LAMBDA_FUNCTION,
    NATIVE_LAMBDA_FUNCTION,
} from "../resourceTypes";
import {
    ResourceCase,
    ResourceSnapshot,
    UNKNOWN,
    pinnedReference,
    resource,
    runResourcePolicy,
    runStackPolicy,
} from "./args";

const APP_REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app";
const OTHER_REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker";

function repository(name = "app-repo", url: unknown = APP_REPO): ResourceSnapshot {
    return resource(ECR_REPOSITORY, name, { name, repositoryUrl: url });
}

function image(
    name: string,
    platform: string,
    props: Record<string, unknown> = {},
    dependsOn: Record<string, ResourceSnapshot[]> = {},
): ResourceSnapshot {
    const tag = `${APP_REPO}:${platform.split("/")[1]}`;
    return resource(
        DOCKER_BUILD_IMAGE,
        name,
        {
            push: true,
            platforms: [platform],
            tags: [tag],
            ref: pinnedReference(tag, platform.endsWith("arm64") ? "b" : "a"),
            ...props,
        },
        dependsOn,
    );
}

function index(
    name: string,
    sources: unknown,
    props: Record<string, unknown> = {},
    dependsOn: Record<string, ResourceSnapshot[]> = {},
): ResourceSnapshot {
    return resource(DOCKER_BUILD_INDEX, name, { push: true, tag: `${APP_REPO}:latest`, sources, ...props }, dependsOn);
}

// The project's layout, which passes: one Image per platform, joined by an Index, all in one repository.
function perPlatformStack(): ResourceSnapshot[] {
    const amd64 = image("app-amd64", "linux/amd64");
    const arm64 = image("app-arm64", "linux/arm64");
    return [repository(), amd64, arm64, index("app-index", [amd64.props.ref, arm64.props.ref])];
}

const check = (resources: ResourceSnapshot[], config?: Record<string, unknown>) =>
    runStackPolicy(dockerBuildImageIncludesArm64, { resources, config });

describe("policy docker-build-image-includes-arm64", () => {
    it("passes one Image per platform joined by an Index (the amd64 Image alone is not a violation)", async () => {
        assert.deepEqual((await check(perPlatformStack())).violations, []);
    });

    it("passes one multi-platform Image", async () => {
        assert.deepEqual(
            (await check([repository(), image("app", "linux/amd64", { platforms: ["linux/amd64", "linux/arm64"] })]))
                .violations,
            [],
        );
    });

    it("accepts linux/arm64/v8 as arm64", async () => {
        assert.deepEqual((await check([image("app", "linux/arm64/v8")])).violations, []);
    });

    it("rejects a repository that receives only an amd64 image", async () => {
        const result = await check([repository(), image("app-amd64", "linux/amd64")]);
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            new RegExp(
                `ECR repository ${APP_REPO}: the docker-build images pushed to it build only "app-amd64" \\(linux/amd64\\)`,
            ),
        );
        assert.match(result.violations[0], /Fix: add a docker-build Image with platforms: \["linux\/arm64"\]/);
        assert.equal(result.urns[0], image("app-amd64", "linux/amd64").urn);
    });

    it("rejects a repository whose Images leave platforms unset (builder default is not arm64 evidence)", async () => {
        const result = await check([image("app", "linux/amd64", { platforms: undefined })]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /builder default/);
    });

    it("does not count an arm64 Image that is not pushed", async () => {
        const stack = [image("app-amd64", "linux/amd64"), image("app-arm64", "linux/arm64", { push: false })];
        assert.equal((await check(stack)).violations.length, 1);
    });

    it("judges repositories separately and names the one without arm64", async () => {
        const worker = image("worker-amd64", "linux/amd64", { tags: [`${OTHER_REPO}:amd64`] });
        const result = await check([...perPlatformStack(), worker]);
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], new RegExp(`ECR repository ${OTHER_REPO}:`));
    });

    it("counts an Index whose sources include an arm64 Image for the Index's own repository", async () => {
        const amd64 = image("app-amd64", "linux/amd64");
        const arm64 = image("app-arm64", "linux/arm64");
        const release = index("release-index", [amd64.props.ref, arm64.props.ref], { tag: `${OTHER_REPO}:1.0` });
        assert.deepEqual((await check([amd64, arm64, release])).violations, []);
    });

    it("rejects an Index repository whose sources are all amd64", async () => {
        const amd64 = image("app-amd64", "linux/amd64");
        const release = index("release-index", [amd64.props.ref], { tag: `${OTHER_REPO}:1.0` });
        const result = await check([amd64, release]);
        assert.equal(result.violations.length, 2);
        assert.ok(result.violations.some((message) => message.startsWith(`ECR repository ${OTHER_REPO}:`)));
    });

    it("ignores images pushed outside ECR and images not pushed", async () => {
        const stack = [
            image("hub", "linux/amd64", { tags: ["docker.io/example/app:1"] }),
            image("local", "linux/amd64", { push: false }),
        ];
        assert.deepEqual((await check(stack)).violations, []);
    });

    it("during preview, groups Images whose tags are unknown by the repository they came from", async () => {
        const repo = repository("app-repo", UNKNOWN.string);
        const amd64 = image(
            "app-amd64",
            "linux/amd64",
            { tags: [UNKNOWN.string], ref: UNKNOWN.string },
            { tags: [repo] },
        );
        const arm64 = image(
            "app-arm64",
            "linux/arm64",
            { tags: [UNKNOWN.string], ref: UNKNOWN.string },
            { tags: [repo] },
        );
        const joined = index(
            "app-index",
            [UNKNOWN.string, UNKNOWN.string],
            { tag: UNKNOWN.string },
            { tag: [repo], sources: [amd64, arm64] },
        );
        const passing = await check([repo, amd64, arm64, joined]);
        assert.equal(passing.unknownDuringPreview, undefined);
        assert.deepEqual(passing.violations, []);

        const failing = await check([repo, amd64]);
        assert.equal(failing.violations.length, 1);
        assert.match(failing.violations[0], /ECR repository "app-repo"/);
    });

    it("during preview, traces an Index's unknown sources to an arm64 Image", async () => {
        const amd64 = image("app-amd64", "linux/amd64", { ref: UNKNOWN.string, tags: [`${OTHER_REPO}:amd64`] });
        const arm64 = image("app-arm64", "linux/arm64", { ref: UNKNOWN.string, tags: [`${OTHER_REPO}:arm64`] });
        const joined = index("app-index", [UNKNOWN.string, UNKNOWN.string], {}, { sources: [amd64, arm64] });
        assert.deepEqual((await check([amd64, arm64, joined])).violations, []);
    });

    it("during preview, rejects an Index whose unknown sources trace only to amd64 Images", async () => {
        const amd64 = image("app-amd64", "linux/amd64", { ref: UNKNOWN.string, tags: [`${OTHER_REPO}:amd64`] });
        const joined = index("app-index", [UNKNOWN.string], {}, { sources: [amd64] });
        const result = await check([amd64, joined]);
        assert.equal(result.violations.length, 2);
        assert.ok(result.violations.some((message) => message.startsWith(`ECR repository ${APP_REPO}:`)));
    });

    it("does not reject an Index whose source is an image built outside this stack (platform unknown)", async () => {
        const external = pinnedReference("123456789012.dkr.ecr.us-east-1.amazonaws.com/base:1", "c");
        assert.deepEqual((await check([index("app-index", [external])])).violations, []);
    });

    it("does not reject a repository while an Image's platforms are unknown", async () => {
        assert.deepEqual((await check([image("app", "linux/amd64", { platforms: UNKNOWN.array })])).violations, []);
    });

    it("honours an exemption naming an Image that pushes to the repository", async () => {
        const config = { exemptions: [{ resourceName: "app-amd64", reason: "App Runner runs amd64 only" }] };
        assert.deepEqual((await check([image("app-amd64", "linux/amd64")], config)).violations, []);
    });

    it("honours an exemption naming the ECR repository resource", async () => {
        const config = { exemptions: [{ resourceName: "app-repo", reason: "App Runner runs amd64 only" }] };
        assert.deepEqual((await check([repository(), image("app-amd64", "linux/amd64")], config)).violations, []);
    });

    it("is not applicable to a stack without docker-build images", async () => {
        assert.equal((await check([repository()])).notApplicable, true);
    });
});

describe("raw docker-build exports", () => {
    it("push to a registry unless push is set otherwise, and elsewhere only with push=true", () => {
        assert.equal(rawExportPushes("type=registry"), true);
        assert.equal(rawExportPushes("type=registry,push=true"), true);
        assert.equal(rawExportPushes("type=registry,push=false"), false);
        assert.equal(rawExportPushes("type=image,name=repo:tag,push=true"), true);
        assert.equal(rawExportPushes("type=image,name=repo:tag"), false);
        assert.equal(rawExportPushes("type=oci,dest=out.tar"), false);
    });
});

describe("image reference helpers", () => {
    it("strips tag and digest but keeps a registry port", () => {
        assert.equal(repositoryOf(`${APP_REPO}:arm64`), APP_REPO);
        assert.equal(repositoryOf(pinnedReference(`${APP_REPO}:arm64`)), APP_REPO);
        assert.equal(repositoryOf("localhost:5000/app"), "localhost:5000/app");
    });

    it("recognises private ECR references only", () => {
        assert.equal(isEcrReference(`${APP_REPO}:1`), true);
        assert.equal(isEcrReference("public.ecr.aws/example/app:1"), false);
        assert.equal(isEcrReference("docker.io/library/nginx:1"), false);
    });
});

// A digest-pinned Lambda function that passes; each case changes one property.
function lambdaCase(props: Record<string, unknown> = {}, type = LAMBDA_FUNCTION): ResourceCase {
    return {
        type,
        name: "api-fn",
        props: { packageType: "Image", architectures: ["arm64"], imageUri: pinnedReference(APP_REPO, "b"), ...props },
    };
}

function taskCase(containers: unknown): ResourceCase {
    return {
        type: ECS_TASK_DEFINITION,
        name: "api-task",
        props: {
            requiresCompatibilities: ["FARGATE"],
            containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers),
        },
    };
}

function appRunnerCase(imageRepository: unknown): ResourceCase {
    return {
        type: APP_RUNNER_SERVICE,
        name: "api-runner",
        props: { serviceName: "api", sourceConfiguration: { imageRepository } },
    };
}

const pinned = (testCase: ResourceCase) => runResourcePolicy(imagesPinnedByDigest, testCase);

describe("policy images-pinned-by-digest", () => {
    it("passes a Lambda function whose imageUri is pinned by digest", async () => {
        assert.deepEqual((await pinned(lambdaCase())).violations, []);
    });

    it("flags a Lambda function whose imageUri is a tag", async () => {
        const result = await pinned(lambdaCase({ imageUri: `${APP_REPO}:arm64` }));
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            new RegExp(`Lambda function "api-fn": imageUri is "${APP_REPO}:arm64", a reference by tag`),
        );
        assert.match(result.violations[0], /Required: container images referenced by digest/);
        assert.match(result.violations[0], /Fix: use the digest-pinned reference/);
    });

    it("flags an aws-native Lambda function whose code.imageUri is a tag", async () => {
        const result = await pinned(
            lambdaCase({ imageUri: undefined, code: { imageUri: `${APP_REPO}:latest` } }, NATIVE_LAMBDA_FUNCTION),
        );
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /code.imageUri/);
    });

    it("is not applicable to a zip Lambda function (no imageUri)", async () => {
        const result = await pinned(lambdaCase({ packageType: "Zip", imageUri: undefined }));
        assert.equal(result.notApplicable, true);
    });

    it("does not flag an imageUri that is unknown during preview (checked again at update)", async () => {
        const result = await pinned(lambdaCase({ imageUri: UNKNOWN.string }));
        assert.deepEqual(result.violations, []);
        assert.equal(result.unknownDuringPreview, undefined);
    });

    it("passes an ECS task definition whose containers are all pinned", async () => {
        assert.deepEqual((await pinned(taskCase([{ name: "app", image: pinnedReference(APP_REPO) }]))).violations, []);
    });

    it("flags each ECS container referenced by tag, by name", async () => {
        const result = await pinned(
            taskCase([
                { name: "app", image: pinnedReference(APP_REPO) },
                { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable" },
            ]),
        );
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /ECS task definition "api-task": containerDefinitions\[log-router\].image is "public.ecr.aws\/aws-observability\/aws-for-fluent-bit:stable"/,
        );
    });

    it("does not flag ECS container definitions that are unknown during preview", async () => {
        assert.deepEqual((await pinned(taskCase(UNKNOWN.string))).violations, []);
    });

    it("passes an App Runner service pinned by digest and flags one referenced by tag", async () => {
        assert.deepEqual(
            (await pinned(appRunnerCase({ imageIdentifier: pinnedReference(APP_REPO), imageRepositoryType: "ECR" })))
                .violations,
            [],
        );
        const result = await pinned(
            appRunnerCase({ imageIdentifier: `${APP_REPO}:amd64`, imageRepositoryType: "ECR" }),
        );
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /App Runner service "api-runner": sourceConfiguration.imageRepository.imageIdentifier/,
        );
    });

    it("is not applicable to an App Runner service built from a code repository", async () => {
        const result = await pinned({
            type: APP_RUNNER_SERVICE,
            name: "api-runner",
            props: { sourceConfiguration: { codeRepository: { repositoryUrl: "https://github.com/example/app" } } },
        });
        assert.equal(result.notApplicable, true);
    });

    it("is not applicable to other resource types", async () => {
        assert.equal((await pinned({ type: "aws:s3/bucket:Bucket", props: {} })).notApplicable, true);
    });
});
