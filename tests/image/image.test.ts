/**
 * Builds app/Dockerfile for real, for linux/amd64 and linux/arm64, pushes both and an
 * index joining them to a local registry, reads them back over the registry HTTP API
 * and runs each image's app: the amd64 one natively, the arm64 one under QEMU.
 *
 * Needs root and the tools from tests/image/install-tools.sh; fails, never skips, when
 * they are missing. Run with `npm run test:image`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { checkImageIndex, fetchGet, IMAGE_MEDIA_TYPES, INDEX_MEDIA_TYPES } from "../../commands/verify";
import {
    aarch64BinfmtActive,
    APP_DOCKERFILE,
    Buildah,
    buildAndPushApp,
    lambdaAdapterMarker,
    LocalRegistry,
    NODE_ARCH,
    PushedApp,
    pushStandInImages,
    requireTools,
    scratchRoot,
    StandInImages,
    startRegistry,
    withExplicitTargetPlatform,
    withoutBuildPlatform,
} from "./lib";
import { OCI_ARCHITECTURES } from "../../policy-pack/architecture";
import { ImageRunConfig, RunningApp, startApp, unpackFromRegistry } from "./lib/run";

const suiteStart = Date.now();
const log = (line: string): void =>
    console.log(`      · [${((Date.now() - suiteStart) / 1000).toFixed(0).padStart(3)} s] ${line}`);

interface Json {
    [key: string]: unknown;
}

async function getJson(url: string, accept: readonly string[]): Promise<{ mediaType: string | null; body: Json }> {
    const response = await fetch(url, { headers: { Accept: accept.join(", ") } });
    assert.strictEqual(response.status, 200, `GET ${url} answered ${response.status}`);
    return { mediaType: response.headers.get("content-type"), body: (await response.json()) as Json };
}

describe("Dockerfile rewrites used with buildah", function () {
    // Pure text functions; here rather than in tests/ because they belong to this suite's lib.
    it("adds --platform=$TARGETPLATFORM only to FROM lines without a platform", function () {
        const text = fs.readFileSync(APP_DOCKERFILE, "utf8");
        const rewritten = withExplicitTargetPlatform(text);
        const fromLines = rewritten.split("\n").filter((line) => /^FROM /i.test(line));
        assert.deepStrictEqual(fromLines, [
            "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build",
            "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS prod-deps",
            "FROM --platform=$TARGETPLATFORM ${LAMBDA_ADAPTER_IMAGE} AS lambda-adapter",
            "FROM --platform=$TARGETPLATFORM ${NODE_IMAGE} AS runtime",
        ]);
        const otherLines = (value: string) => value.split("\n").filter((line) => !/^FROM /i.test(line));
        assert.deepStrictEqual(otherLines(rewritten), otherLines(text));
    });

    it("leaves a FROM that names an earlier stage alone", function () {
        assert.strictEqual(
            withExplicitTargetPlatform("FROM base AS a\nFROM a AS b\n"),
            "FROM --platform=$TARGETPLATFORM base AS a\nFROM a AS b\n",
        );
    });

    it("the naive variant drops every --platform=$BUILDPLATFORM", function () {
        const naive = withoutBuildPlatform(fs.readFileSync(APP_DOCKERFILE, "utf8"));
        assert.ok(!naive.includes("--platform=$BUILDPLATFORM"));
        assert.strictEqual(
            naive.split("\n").filter((line) => /^FROM \$\{NODE_IMAGE\} AS (build|prod-deps)$/.test(line)).length,
            2,
        );
    });
});

describe("app/Dockerfile built for real: buildah, a local registry and QEMU", function () {
    let work = "";
    let registry: LocalRegistry | undefined;
    let builder: Buildah | undefined;
    let standIns: StandInImages;
    let pushed: PushedApp;

    before(async function () {
        requireTools();
        work = fs.mkdtempSync(path.join(scratchRoot(), "image-suite-"));
        registry = await startRegistry(path.join(work, "registry"));
        log(`registry ${registry.url}`);
        builder = new Buildah(path.join(work, "build"));
        log(await builder.version());
        standIns = await pushStandInImages(registry, work, log);
        log(
            aarch64BinfmtActive()
                ? "note: qemu-aarch64 is registered with binfmt_misc here, so this run cannot show that the arm64 build needs no emulation"
                : "no qemu-aarch64 binfmt registration: any arm64 RUN step would fail, so the arm64 build below runs no arm64 code",
        );
        log(`stand-ins: NODE_IMAGE=${standIns.nodeImage} LAMBDA_ADAPTER_IMAGE=${standIns.lambdaAdapterImage}`);
        pushed = await buildAndPushApp(builder, registry, standIns, "suite", log);
    });

    after(async function () {
        await registry?.stop();
        await builder?.destroy();
        if (work !== "") {
            fs.rmSync(work, { recursive: true, force: true });
        }
        log("done");
    });

    it("pushes an index that lists exactly linux/amd64 and linux/arm64, the children just pushed", async function () {
        assert.ok(registry);
        const index = await getJson(`${registry.url}/v2/${pushed.repository}/manifests/${pushed.tag}`, [
            ...INDEX_MEDIA_TYPES,
            ...IMAGE_MEDIA_TYPES,
        ]);
        assert.ok(
            INDEX_MEDIA_TYPES.includes(String(index.body.mediaType)),
            `not an index: ${String(index.body.mediaType)}`,
        );
        const manifests = index.body.manifests as { digest: string; platform: { os: string; architecture: string } }[];
        const platforms = manifests.map((entry) => `${entry.platform.os}/${entry.platform.architecture}`).sort();
        assert.deepStrictEqual(platforms, ["linux/amd64", "linux/arm64"]);
        for (const arch of OCI_ARCHITECTURES) {
            const child = manifests.find((entry) => entry.platform.architecture === arch);
            assert.strictEqual(child?.digest, pushed.digests[arch], `index child for ${arch}`);
        }
    });

    it("each child's config blob names the same os and architecture as the index", async function () {
        assert.ok(registry);
        for (const arch of OCI_ARCHITECTURES) {
            const manifest = await getJson(
                `${registry.url}/v2/${pushed.repository}/manifests/${pushed.digests[arch]}`,
                IMAGE_MEDIA_TYPES,
            );
            const configDigest = (manifest.body.config as { digest: string }).digest;
            const config = await getJson(`${registry.url}/v2/${pushed.repository}/blobs/${configDigest}`, [
                "application/octet-stream",
                "*/*",
            ]);
            assert.strictEqual(`${String(config.body.os)}/${String(config.body.architecture)}`, `linux/${arch}`);
        }
    });

    it("npm run verify's index check passes on this index (plain HTTP, a fake ECR token)", async function () {
        assert.ok(registry);
        const authorization = `Basic ${Buffer.from("AWS:not-a-real-token").toString("base64")}`;
        const report = await checkImageIndex(
            fetchGet,
            { baseUrl: registry.url, authorization },
            pushed.repository,
            pushed.indexDigest,
            {
                childDigests: { "linux/amd64": pushed.digests.amd64, "linux/arm64": pushed.digests.arm64 },
            },
        );
        const failures = report.checks.filter((check) => !check.ok);
        assert.deepStrictEqual(failures, [], JSON.stringify(report.checks, null, 2));
        assert.deepStrictEqual(report.children, {
            "linux/amd64": pushed.digests.amd64,
            "linux/arm64": pushed.digests.arm64,
        });
        assert.strictEqual(report.checks.length, 5);
    });

    it("npm run verify's index check fails when arm64Ref names the amd64 child, or the ref is a single image", async function () {
        assert.ok(registry);
        const swapped = await checkImageIndex(
            fetchGet,
            { baseUrl: registry.url },
            pushed.repository,
            pushed.indexDigest,
            {
                childDigests: { "linux/amd64": pushed.digests.amd64, "linux/arm64": pushed.digests.amd64 },
            },
        );
        assert.deepStrictEqual(
            swapped.checks.filter((check) => !check.ok).map((check) => check.name),
            ["arm64Ref is the index's linux/arm64 child"],
        );
        const single = await checkImageIndex(
            fetchGet,
            { baseUrl: registry.url },
            pushed.repository,
            pushed.digests.arm64,
        );
        assert.strictEqual(single.checks.length, 1);
        assert.strictEqual(single.checks[0].ok, false);
        assert.match(single.checks[0].detail, /not an index/);
    });

    for (const arch of OCI_ARCHITECTURES) {
        describe(`the linux/${arch} child, pulled back from the registry`, function () {
            let rootfs = "";
            let config: ImageRunConfig;
            let app: RunningApp | undefined;

            before(async function () {
                assert.ok(registry);
                // Not buildah's copy: the layers exactly as the registry serves them.
                rootfs = path.join(work, `rootfs-${arch}`);
                await unpackFromRegistry(registry.url, pushed.repository, pushed.digests[arch], rootfs);
                log(`unpacked the ${arch} child into ${rootfs}`);
                const manifest = await getJson(
                    `${registry.url}/v2/${pushed.repository}/manifests/${pushed.digests[arch]}`,
                    IMAGE_MEDIA_TYPES,
                );
                const configDigest = (manifest.body.config as { digest: string }).digest;
                const blob = await getJson(`${registry.url}/v2/${pushed.repository}/blobs/${configDigest}`, ["*/*"]);
                config = blob.body.config as ImageRunConfig;
            });

            after(async function () {
                await app?.stop();
            });

            it("holds the Lambda Web Adapter of its own architecture at /opt/extensions/lambda-adapter", function () {
                const adapter = fs.readFileSync(path.join(rootfs, "opt", "extensions", "lambda-adapter"), "utf8");
                assert.ok(adapter.includes(lambdaAdapterMarker(arch)), `adapter file says:\n${adapter}`);
                assert.ok(
                    (fs.statSync(path.join(rootfs, "opt", "extensions", "lambda-adapter")).mode & 0o111) !== 0,
                    "adapter is not executable",
                );
            });

            it("carries node for its own architecture and only the compiled app", function () {
                const loader = arch === "amd64" ? "lib64/ld-linux-x86-64.so.2" : "lib/ld-linux-aarch64.so.1";
                assert.ok(fs.existsSync(path.join(rootfs, loader)), `${loader} missing: the base layer is not ${arch}`);
                // One .js per TypeScript module of app/src, and nothing else.
                const compiled = fs
                    .readdirSync(path.join(__dirname, "..", "..", "app", "src"))
                    .filter((file) => file.endsWith(".ts"))
                    .map((file) => file.replace(/\.ts$/, ".js"))
                    .sort();
                assert.deepStrictEqual(fs.readdirSync(path.join(rootfs, "app", "dist")).sort(), compiled);
                assert.ok(
                    !fs.existsSync(path.join(rootfs, "app", "src")),
                    "TypeScript sources leaked into the runtime image",
                );
                assert.strictEqual(config.User, "1000:1000");
            });

            it(`runs the image's command and answers GET / with architecture ${NODE_ARCH[arch]}`, async function () {
                app = await startApp(rootfs, arch, config);
                const response = await fetch(`http://127.0.0.1:${app.port}/`);
                assert.strictEqual(response.status, 200);
                const body = (await response.json()) as { architecture: string; platform: string };
                assert.strictEqual(body.architecture, NODE_ARCH[arch], `app output:\n${app.output()}`);
                assert.strictEqual(body.platform, "linux");
                // The /info page from inside the image names the CPU it runs on.
                const page = await (await fetch(`http://127.0.0.1:${app.port}/info`)).text();
                assert.match(page, new RegExp(`<h1 id="cpu" data-architecture="${NODE_ARCH[arch]}">`));
                await app.stop();
                app = undefined;
            });
        });
    }
});
