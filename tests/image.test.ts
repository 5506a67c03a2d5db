import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import type * as dockerbuild from "@pulumi/docker-build";
import { buildContextHash, MultiArchImage } from "../components/multiArchImage";
import { digestOf } from "../policy-pack/architecture";
import {
    CapturedResource,
    everyRuntime,
    mockAccountId,
    ProgramRun,
    projectRoot,
    runProgram,
    stackRun,
} from "./harness";

type ImageInputs = pulumi.Unwrap<dockerbuild.ImageArgs>;
type IndexInputs = pulumi.Unwrap<dockerbuild.IndexArgs>;
type AppRunnerInputs = pulumi.Unwrap<aws.apprunner.ServiceArgs>;

const imageType = "docker-build:index:Image";
const registryHost = `${mockAccountId}.dkr.ecr.us-east-1.amazonaws.com`;
const pinned = new RegExp(`^${registryHost.replace(/\./g, "\\.")}/[a-z0-9._-]+@sha256:[0-9a-f]{64}$`);

function imageFor(run: ProgramRun, platform: string): CapturedResource<ImageInputs> {
    const matches = run
        .ofType<ImageInputs>(imageType)
        .filter((image) => image.inputs.platforms?.includes(platform as dockerbuild.Platform));
    assert.strictEqual(matches.length, 1, `expected one image for ${platform}`);
    return matches[0];
}

describe("MultiArchImage", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    let repositoryUrl: string;

    before(async () => {
        dev = await stackRun("dev");
        prod = await stackRun("prod");
        repositoryUrl = dev.outputs.repositoryUrl as string;
    });

    it("builds exactly one single-platform image per architecture, and pushes both", () => {
        const images = dev.ofType<ImageInputs>(imageType);
        assert.deepStrictEqual(images.map((image) => image.inputs.platforms).sort(), [
            ["linux/amd64"],
            ["linux/arm64"],
        ]);
        for (const image of images) {
            assert.strictEqual(image.inputs.push, true);
            // Relative to the project directory, where the CLI runs the program and its providers.
            assert.strictEqual(image.inputs.context?.location, "app");
            assert.strictEqual(image.inputs.dockerfile?.location, "app/Dockerfile");
            assert.strictEqual(image.inputs.buildOnPreview, false, "a preview must write nothing to the registry");
        }
    });

    it("tags each image inside the ECR repository with the release tag and its architecture", () => {
        assert.ok(repositoryUrl.startsWith(`${registryHost}/`), repositoryUrl);
        const tag = dev.outputs.imageTag as string;
        assert.deepStrictEqual(imageFor(dev, "linux/amd64").inputs.tags, [`${repositoryUrl}:${tag}-amd64`]);
        assert.deepStrictEqual(imageFor(dev, "linux/arm64").inputs.tags, [`${repositoryUrl}:${tag}-arm64`]);
    });

    it("derives the tag from the build inputs, never latest", () => {
        const tag = dev.outputs.imageTag as string;
        assert.match(tag, /^release-[0-9a-f]{16}$/);
        const app = path.join(projectRoot, "app");
        assert.strictEqual(tag, `release-${buildContextHash(app, path.join(app, "Dockerfile"), {}).slice(0, 16)}`);
        assert.strictEqual(prod.outputs.imageTag, tag, "the same source gives the same tag in every stack");
    });

    it("caches each architecture in the registry as an OCI image manifest", () => {
        for (const arch of ["amd64", "arm64"]) {
            const image = imageFor(dev, `linux/${arch}`);
            const cacheRef = `${repositoryUrl}:cache-${arch}`;
            assert.deepStrictEqual(image.inputs.cacheFrom, [{ registry: { ref: cacheRef } }]);
            assert.deepStrictEqual(image.inputs.cacheTo, [
                { registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true, mode: "max" } },
            ]);
        }
    });

    it("joins exactly the two per-architecture refs under the release tag", () => {
        const index = dev.one<IndexInputs>("docker-build:index:Index");
        assert.strictEqual(index.inputs.tag, `${repositoryUrl}:${dev.outputs.imageTag}`);
        assert.strictEqual(index.inputs.push, true);
        assert.deepStrictEqual(index.inputs.sources, [
            imageFor(dev, "linux/amd64").state.ref,
            imageFor(dev, "linux/arm64").state.ref,
        ]);
    });

    it("pushes with credentials from ECR's authorization token, kept secret", () => {
        assert.ok(dev.invokes.some((invoke) => invoke.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken"));
        const expected = { address: registryHost, username: "AWS", password: "mock-ecr-password" };
        for (const image of dev.ofType<ImageInputs>(imageType)) {
            assert.deepStrictEqual(image.inputs.registries, [expected]);
            assert.ok(
                image.secretInputs.some((secretPath) => secretPath.startsWith("registries")),
                "the registry password is not secret",
            );
        }
        const index = dev.one<IndexInputs>("docker-build:index:Index");
        assert.deepStrictEqual(index.inputs.registry, expected);
        assert.ok(index.secretInputs.includes("registry"));
    });

    it("exports digest-pinned refs: the index and each platform's own manifest", () => {
        for (const key of ["indexRef", "amd64Ref", "arm64Ref"]) {
            assert.match(dev.outputs[key] as string, pinned, key);
        }
        assert.strictEqual(digestOf(String(dev.outputs.amd64Ref)), imageFor(dev, "linux/amd64").state.digest);
        assert.strictEqual(digestOf(String(dev.outputs.arm64Ref)), imageFor(dev, "linux/arm64").state.digest);
        assert.strictEqual(
            digestOf(String(dev.outputs.indexRef)),
            digestOf(String(dev.one("docker-build:index:Index").state.ref)),
        );
        assert.strictEqual(new Set([dev.outputs.indexRef, dev.outputs.amd64Ref, dev.outputs.arm64Ref]).size, 3);
    });

    it("creates a scanned, encrypted repository with mutable tags (every consumer is pinned by digest)", () => {
        const repository = dev.one("aws:ecr/repository:Repository");
        assert.strictEqual(repository.inputs.imageTagMutability, "MUTABLE");
        assert.strictEqual(repository.inputs.imageTagMutabilityExclusionFilters, undefined);
        assert.deepStrictEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
        assert.deepStrictEqual(repository.inputs.encryptionConfigurations, [{ encryptionType: "KMS" }]);
    });

    it("expires untagged images and stale caches, and keeps recent releases", () => {
        const policy = JSON.parse(dev.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy as string) as {
            rules: { rulePriority: number; selection: Record<string, unknown>; action: { type: string } }[];
        };
        const selections = policy.rules.map((rule) => rule.selection);
        assert.deepStrictEqual(selections[0], {
            tagStatus: "tagged",
            tagPatternList: ["cache-*"],
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 30,
        });
        assert.deepStrictEqual(selections[1], {
            tagStatus: "tagged",
            tagPatternList: ["release-*"],
            countType: "imageCountMoreThan",
            countNumber: 30,
        });
        assert.deepStrictEqual(selections[2], {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 7,
        });
        assert.ok(policy.rules.every((rule) => rule.action.type === "expire"));
    });

    it("protects the repository in prod and lets dev delete it with its images", () => {
        const prodRepository = prod.one("aws:ecr/repository:Repository");
        assert.strictEqual(prodRepository.options.protect, true);
        assert.strictEqual(prodRepository.inputs.forceDelete, false);
        const devRepository = dev.one("aws:ecr/repository:Repository");
        assert.strictEqual(devRepository.options.protect, false);
        assert.strictEqual(devRepository.inputs.forceDelete, true);
    });

    it("uses the configured builder per architecture, and the provider's own builder otherwise", async () => {
        assert.strictEqual(imageFor(dev, "linux/arm64").inputs.builder, undefined);
        const run = await runProgram("dev", { config: { "graviton-multiarch:image.arm64Builder": "graviton-node" } });
        assert.deepStrictEqual(imageFor(run, "linux/arm64").inputs.builder, { name: "graviton-node" });
        assert.strictEqual(imageFor(run, "linux/amd64").inputs.builder, undefined);
    });
});

describe("MultiArchImage in a preview", () => {
    it("leaves the refs unknown until the update pushes, instead of failing the preview", async () => {
        const run = await runProgram("dev", { preview: true, config: everyRuntime });
        const fn = run.one<{ imageUri: unknown }>("aws:lambda/function:Function");
        assert.ok(
            pulumi.isUnknown(fn.inputs.imageUri),
            `expected an unknown imageUri, got ${JSON.stringify(fn.inputs.imageUri)}`,
        );
        const appRunner = run.one<AppRunnerInputs>("aws:apprunner/service:Service");
        assert.ok(pulumi.isUnknown(appRunner.inputs.sourceConfiguration.imageRepository?.imageIdentifier));
        assert.strictEqual(run.ofType(imageType).length, 2, "both images are still built in the preview");
    });
});

describe("buildContextHash", () => {
    let context: string;

    beforeEach(() => {
        context = fs.mkdtempSync(path.join(os.tmpdir(), "context-"));
        fs.mkdirSync(path.join(context, "src"));
        fs.mkdirSync(path.join(context, "node_modules"));
        fs.writeFileSync(path.join(context, "Dockerfile"), "FROM scratch\n");
        fs.writeFileSync(path.join(context, ".dockerignore"), "node_modules\n*.log\n");
        fs.writeFileSync(path.join(context, "src", "main.ts"), "console.log(1);\n");
        fs.writeFileSync(path.join(context, "node_modules", "dep.js"), "x\n");
    });
    afterEach(() => fs.rmSync(context, { recursive: true, force: true }));

    const hash = (buildArgs: Record<string, string> = {}) =>
        buildContextHash(context, path.join(context, "Dockerfile"), buildArgs);

    it("changes when a file in the build context changes", () => {
        const before = hash();
        fs.writeFileSync(path.join(context, "src", "main.ts"), "console.log(2);\n");
        assert.notStrictEqual(hash(), before);
    });

    it("ignores what .dockerignore keeps out of the context", () => {
        const before = hash();
        fs.writeFileSync(path.join(context, "node_modules", "dep.js"), "y\n");
        fs.writeFileSync(path.join(context, "build.log"), "noise\n");
        assert.strictEqual(hash(), before);
    });

    it("changes with the build args and a renamed file", () => {
        const before = hash();
        assert.notStrictEqual(hash({ NODE_IMAGE: "node:24" }), before);
        fs.renameSync(path.join(context, "src", "main.ts"), path.join(context, "src", "index.ts"));
        assert.notStrictEqual(hash(), before);
    });
});

describe("MultiArchImage arguments", () => {
    it("rejects a missing context before registering anything", () => {
        assert.throws(
            () => new MultiArchImage("bad", { context: "/nonexistent/app", protect: true }),
            /MultiArchImage: context must be an existing directory; got \/nonexistent\/app/,
        );
    });

    it("keeps at least the running release and the one before it", () => {
        assert.throws(
            () => new MultiArchImage("bad", { context: path.join(projectRoot, "app"), protect: true, keepReleases: 1 }),
            /MultiArchImage: keepReleases must be a whole number of at least 2 \(the running release and the one before it\); got 1/,
        );
    });

    it("rejects an unknown builder architecture, naming the allowed ones", () => {
        const builders = { riscv64: "rv" } as unknown as Record<"amd64", string>;
        assert.throws(
            () => new MultiArchImage("bad", { context: path.join(projectRoot, "app"), protect: true, builders }),
            /builders has an unknown architecture "riscv64"; allowed: amd64, arm64/,
        );
    });
});
