// Deploys after the first: the program's docker-build resources, taken from real program runs in
// two checkouts, fed through a model of the docker-build provider into a model of the ECR
// repository the program configures (tests/models/: each model says which source it follows).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CapturedResource, makeCheckout, ProgramRun, runProgram } from "./harness";
import { DockerBuildModel, ImageInputs, InterruptedError, tagOf } from "./models/dockerBuild";
import { EcrRepositoryModel, RepositorySettings } from "./models/ecrRepository";

const dockerBuildTypes = new Set(["docker-build:index:Image", "docker-build:index:Index"]);

/** The docker-build inputs of a run, as the provider receives them (the registry password aside, which it ignores). */
function dockerBuildInputs(run: ProgramRun): Record<string, unknown> {
    return Object.fromEntries(
        run.resources
            .filter((resource) => dockerBuildTypes.has(resource.type))
            .map((resource) => [resource.name, resource.inputs]),
    );
}

describe("deploys after the first (docker-build and ECR modelled)", function () {
    // Each step is one real program run under mocks.
    this.timeout(60_000);

    let scratch: string;
    let ciCheckout: string;
    let laptopCheckout: string;
    let serverFile: string;
    let original: string;
    let repository: EcrRepositoryModel;
    let provider: DockerBuildModel;
    let day = 0;

    const deploy = async (
        checkout: string,
        options: { config?: Record<string, unknown>; interruptAfterPush?: boolean } = {},
    ) => {
        const run = await runProgram("dev", { checkout, config: options.config });
        const result = provider.deploy(run.resources, checkout, (day += 1), {
            interruptAfterPush: options.interruptAfterPush,
        });
        return { run, result };
    };
    const releaseTag = (run: ProgramRun) => run.outputs.imageTag as string;
    const images = (run: ProgramRun) => run.ofType<ImageInputs>("docker-build:index:Image");

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "checkouts-"));
        ciCheckout = makeCheckout(path.join(scratch, "runner", "_work", "graviton-multiarch", "graviton-multiarch"));
        laptopCheckout = makeCheckout(path.join(scratch, "home", "dev", "src", "graviton"));
        serverFile = path.join(ciCheckout, "app", "src", "server.ts");
        original = fs.readFileSync(serverFile, "utf8");
        const first = await runProgram("dev", { checkout: ciCheckout });
        repository = new EcrRepositoryModel(first.one<RepositorySettings>("aws:ecr/repository:Repository").inputs);
        provider = new DockerBuildModel(repository);
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("first deploy: builds and pushes both images, their caches and the index", async () => {
        const { run, result } = await deploy(ciCheckout);
        assert.deepStrictEqual(Object.keys(result.imageDiffs).sort(), ["app-amd64", "app-arm64"]);
        assert.strictEqual(result.indexSteps.app, "create");
        const tag = releaseTag(run);
        assert.deepStrictEqual(
            [...repository.tagPushes].sort(),
            ["cache-amd64", "cache-arm64", tag, `${tag}-amd64`, `${tag}-arm64`].sort(),
        );
    });

    it("the same deploy again: no image diff at all", async () => {
        const { result } = await deploy(ciCheckout);
        assert.deepStrictEqual(result.imageDiffs, {});
        assert.strictEqual(result.indexSteps.app, "same");
    });

    it("from a second checkout at another path: identical docker-build inputs, no image diff", async () => {
        const fromCi = await runProgram("dev", { checkout: ciCheckout });
        const fromLaptop = await runProgram("dev", { checkout: laptopCheckout });
        assert.deepStrictEqual(dockerBuildInputs(fromLaptop), dockerBuildInputs(fromCi));
        const { result } = await deploy(laptopCheckout);
        assert.deepStrictEqual(result.imageDiffs, {});
        assert.strictEqual(result.indexSteps.app, "same");
    });

    let releaseA: string;
    let releaseB: string;

    it("a source change: new release tags and new digests, and the previous index stays in ECR", async () => {
        releaseA = releaseTag(await runProgram("dev", { checkout: ciCheckout }));
        const previousIndex = provider.indexDigest("app");
        fs.writeFileSync(serverFile, `${original}\n// a change\n`);
        const { run, result } = await deploy(ciCheckout);
        releaseB = releaseTag(run);
        assert.notStrictEqual(releaseB, releaseA);
        assert.deepStrictEqual(Object.keys(result.imageDiffs).sort(), ["app-amd64", "app-arm64"]);
        assert.strictEqual(result.indexSteps.app, "replace");
        assert.ok(repository.imageWithTag(`${releaseB}-arm64`));
        assert.notStrictEqual(provider.indexDigest("app"), previousIndex);
        // What ECS rolls back to must still be there: docker-build deletes a replaced Index unless it is retained.
        assert.ok(
            previousIndex !== undefined && repository.images.has(previousIndex),
            "the previous release's index was deleted",
        );
    });

    it("git revert of that change: the rollback deploys, re-pushing the old release's tags", async () => {
        fs.writeFileSync(serverFile, original);
        const { run, result } = await deploy(ciCheckout);
        assert.strictEqual(releaseTag(run), releaseA);
        assert.strictEqual(result.indexSteps.app, "replace");
        assert.ok(repository.imageWithTag(releaseA)?.children.length === 2);
    });

    it("a retry after an update interrupted once its push landed", async () => {
        fs.writeFileSync(serverFile, `${original}\n// another change\n`);
        await assert.rejects(deploy(ciCheckout, { interruptAfterPush: true }), InterruptedError);
        const { result } = await deploy(ciCheckout);
        assert.deepStrictEqual(Object.keys(result.imageDiffs).sort(), ["app-amd64", "app-arm64"]);
        assert.notStrictEqual(result.indexSteps.app, "same");
    });

    it("a builder change: an update that pushes the same tags again", async () => {
        const { run, result } = await deploy(ciCheckout, {
            config: { "graviton-multiarch:image.arm64Builder": "graviton-node" },
        });
        assert.deepStrictEqual(result.imageDiffs["app-arm64"], ["builder"]);
        assert.strictEqual(result.indexSteps.app, "update");
        const arm64 = images(run).find((image: CapturedResource<ImageInputs>) => image.name === "app-arm64");
        assert.ok(arm64 !== undefined && repository.imageWithTag(tagOf((arm64.inputs.tags ?? [])[0])));
    });

    it("a chmod: the release tag changes with the file's executable bit, as the image does", async () => {
        const before = releaseTag(await runProgram("dev", { checkout: ciCheckout }));
        fs.chmodSync(serverFile, 0o755);
        try {
            const after = releaseTag(await runProgram("dev", { checkout: ciCheckout }));
            assert.notStrictEqual(after, before);
            // Only the executable bit counts for the release tag: a group-writable checkout (umask 002) keeps it
            // (docker-build's own context hash does see the difference and rebuilds once under the same tag).
            fs.chmodSync(serverFile, 0o775);
            assert.strictEqual(releaseTag(await runProgram("dev", { checkout: ciCheckout })), after);
        } finally {
            fs.chmodSync(serverFile, 0o644);
        }
    });
});
