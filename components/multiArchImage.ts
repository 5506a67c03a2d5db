import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import ignore from "@balena/dockerignore";
import {
    ARCHITECTURES,
    DIGEST,
    digestOf,
    fromOci,
    OCI_ARCHITECTURES,
    OciArchitecture,
} from "../policy-pack/architecture";
import { componentType } from "./project";

/** The two OCI_ARCHITECTURES every image of this project is built for, in OCI's naming. */

const platformOf = (arch: OciArchitecture): dockerbuild.Platform => ARCHITECTURES[fromOci(arch)].platform;

export interface MultiArchImageArgs {
    /** Directory holding the build context and, unless `dockerfile` says otherwise, the Dockerfile. */
    readonly context: string;
    /** Path of the Dockerfile; defaults to `<context>/Dockerfile`. */
    readonly dockerfile?: string;
    readonly buildArgs?: Readonly<Record<string, string>>;
    /** buildx builder per architecture, e.g. a native Graviton node for arm64; unset uses the provider's builder. */
    readonly builders?: Readonly<Partial<Record<OciArchitecture, string>>>;
    /**
     * Protects the repository from deletion; when false, `pulumi destroy` may delete it
     * together with its images.
     */
    readonly protect: boolean;
    /** How many days an untagged image is kept. */
    readonly untaggedImageDays?: number;
    /**
     * How many releases the lifecycle policy keeps (each is three images: the index and its two
     * children); at least 2, so the running release and the one before it always stay.
     */
    readonly keepReleases?: number;
    /** How many days a build cache manifest that is no longer refreshed is kept. */
    readonly cacheDays?: number;
}

/** Every release tag starts with this; the lifecycle policy counts releases by it. */
export const releaseTagPrefix = "release-";
/** The build cache of each architecture lives under `cache-<arch>`; every build moves it. */
export const cacheTagPrefix = "cache-";

/**
 * Builds one image for linux/amd64 and linux/arm64 into an ECR repository, joins the two
 * under one image index, and hands out a digest-pinned reference for each consumer:
 * the index (ECS picks the matching child), the arm64 image (Lambda cannot take an index)
 * and the amd64 image (App Runner runs amd64 only).
 */
export class MultiArchImage extends pulumi.ComponentResource {
    public readonly repository: aws.ecr.Repository;
    public readonly images: Readonly<Record<OciArchitecture, dockerbuild.Image>>;
    public readonly index: dockerbuild.Index;
    /** The release tag (`release-<content hash>`), derived from the build inputs: same inputs, same tag. */
    public readonly tag: string;
    public readonly repositoryUrl: pulumi.Output<string>;
    /** `<repository>@sha256:<index digest>`: for runtimes that pick the platform themselves. */
    public readonly indexRef: pulumi.Output<string>;
    /** `<repository>@sha256:<digest>` of each single-platform image. */
    public readonly platformRefs: Readonly<Record<OciArchitecture, pulumi.Output<string>>>;

    constructor(name: string, args: MultiArchImageArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = { untaggedImageDays: 7, keepReleases: 10, cacheDays: 30 };
        const withDefaults = { dockerfile: path.join(args.context, "Dockerfile"), ...defaults, ...args };
        // docker-build compares context and Dockerfile locations as plain strings, so an absolute
        // path would make every other checkout rebuild and re-push (docs/platform-facts.md, "docker-build").
        // Checked before super() so that bad arguments register nothing, not even the component.
        checkArgs(withDefaults);
        const settings = {
            ...withDefaults,
            context: projectRelative(withDefaults.context),
            dockerfile: projectRelative(withDefaults.dockerfile),
        };
        super(componentType("image", "MultiArchImage"), name, {}, opts);

        this.tag =
            releaseTagPrefix +
            buildContextHash(settings.context, settings.dockerfile, settings.buildArgs ?? {}).slice(0, 16);

        this.repository = new aws.ecr.Repository(
            name,
            {
                // MUTABLE on purpose: a rollback, a retried push or a builder change pushes a tag that
                // already exists, which ECR refuses in an immutable repository even for the same digest.
                // Every consumer is pinned by digest, so a moved tag never changes what runs
                // (docs/platform-facts.md, "Amazon ECR"; docs/image-and-registry.md, "Tags, rollbacks and ECR.2").
                imageTagMutability: "MUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: !settings.protect,
            },
            { parent: this, protect: settings.protect },
        );

        new aws.ecr.LifecyclePolicy(
            name,
            {
                repository: this.repository.name,
                policy: JSON.stringify(lifecycleRules(settings)),
            },
            { parent: this },
        );

        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, { parent: this });
        const registry = {
            address: this.repository.repositoryUrl.apply((url) => url.split("/")[0]),
            username: token.userName,
            password: pulumi.secret(token.password),
        };
        this.repositoryUrl = this.repository.repositoryUrl;

        // The registry's contents belong to the lifecycle policy, not to Pulumi: docker-build deletes a
        // replaced Index (every new release tag replaces it) and a deleted Image's manifest from the
        // registry, which would take away the release ECS rolls back to (docs/platform-facts.md, "docker-build").
        const registryOwned = { parent: this, retainOnDelete: true };
        const images = {} as Record<OciArchitecture, dockerbuild.Image>;
        for (const arch of OCI_ARCHITECTURES) {
            const cacheRef = pulumi.interpolate`${this.repository.repositoryUrl}:${cacheTagPrefix}${arch}`;
            const builder = settings.builders?.[arch];
            images[arch] = new dockerbuild.Image(
                `${name}-${arch}`,
                {
                    context: { location: settings.context },
                    dockerfile: { location: settings.dockerfile },
                    buildArgs: settings.buildArgs,
                    platforms: [platformOf(arch)],
                    push: true,
                    // A preview builds nothing, so it writes nothing (no cache export) to the registry and
                    // runs with a read-only role; the Dockerfile is built for real by `npm run test:image`.
                    buildOnPreview: false,
                    tags: [pulumi.interpolate`${this.repository.repositoryUrl}:${this.tag}-${arch}`],
                    registries: [registry],
                    cacheFrom: [{ registry: { ref: cacheRef } }],
                    // ECR only stores a cache exported as an image manifest with OCI media types (aws/containers-roadmap#876).
                    cacheTo: [
                        {
                            registry: {
                                ref: cacheRef,
                                imageManifest: true,
                                ociMediaTypes: true,
                                mode: dockerbuild.CacheMode.Max,
                            },
                        },
                    ],
                    builder: builder === undefined ? undefined : { name: builder },
                },
                registryOwned,
            );
        }
        this.images = images;

        this.index = new dockerbuild.Index(
            name,
            {
                tag: pulumi.interpolate`${this.repository.repositoryUrl}:${this.tag}`,
                sources: OCI_ARCHITECTURES.map((arch) => images[arch].ref),
                push: true,
                registry,
            },
            registryOwned,
        );

        this.indexRef = pinnedRef(
            this.repository.repositoryUrl,
            this.index.ref.apply((ref) => digestOf(ref) ?? ""),
        );
        this.platformRefs = {
            amd64: pinnedRef(this.repository.repositoryUrl, images.amd64.digest),
            arm64: pinnedRef(this.repository.repositoryUrl, images.arm64.digest),
        };

        this.registerOutputs({
            repositoryUrl: this.repositoryUrl,
            tag: this.tag,
            indexRef: this.indexRef,
            amd64Ref: this.platformRefs.amd64,
            arm64Ref: this.platformRefs.arm64,
        });
    }
}

function checkArgs(args: MultiArchImageArgs & { dockerfile: string }): void {
    if (!fs.existsSync(args.context) || !fs.statSync(args.context).isDirectory()) {
        throw new Error(`MultiArchImage: context must be an existing directory; got ${args.context}`);
    }
    if (!fs.existsSync(args.dockerfile)) {
        throw new Error(`MultiArchImage: dockerfile must be an existing file; got ${args.dockerfile}`);
    }
    for (const arch of Object.keys(args.builders ?? {})) {
        if (!(OCI_ARCHITECTURES as readonly string[]).includes(arch)) {
            throw new Error(
                `MultiArchImage: builders has an unknown architecture "${arch}"; allowed: ${OCI_ARCHITECTURES.join(", ")}`,
            );
        }
    }
    for (const key of ["untaggedImageDays", "cacheDays"] as const) {
        const value = args[key];
        if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
            throw new Error(`MultiArchImage: ${key} must be a whole number of at least 1; got ${value}`);
        }
    }
    if (args.keepReleases !== undefined && (!Number.isInteger(args.keepReleases) || args.keepReleases < 2)) {
        throw new Error(
            `MultiArchImage: keepReleases must be a whole number of at least 2 (the running release and the one before it); got ${args.keepReleases}`,
        );
    }
}

/**
 * The path relative to the working directory, with forward slashes. The Pulumi CLI runs the
 * program and its providers in the project directory (pulumi/pulumi, pkg/engine/project.go,
 * getPwdMain), so both resolve it to the same files in every checkout.
 */
function projectRelative(location: string): string {
    const relative = path.relative(process.cwd(), path.resolve(location));
    return relative === "" ? "." : relative.split(path.sep).join("/");
}

/**
 * Three rules and no `tagStatus: any`. ECR counts every image a rule's tag selection matches in
 * that rule's `imageCountMoreThan` window, even images a higher rule protects, so a catch-all
 * count would let cache pushes and untagged leftovers push the running release out. Counting
 * only `release-*` images keeps the newest releases whatever else is pushed; an index keeps its
 * children while it exists (docs/platform-facts.md, "Amazon ECR").
 */
export function lifecycleRules(
    args: Required<Pick<MultiArchImageArgs, "untaggedImageDays" | "keepReleases" | "cacheDays">>,
) {
    const imagesPerRelease = 1 + OCI_ARCHITECTURES.length;
    return {
        rules: [
            {
                rulePriority: 1,
                description: `expire build caches not refreshed for ${args.cacheDays} days`,
                selection: {
                    tagStatus: "tagged",
                    tagPatternList: [`${cacheTagPrefix}*`],
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: args.cacheDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `keep the ${args.keepReleases} newest releases (${imagesPerRelease} images each)`,
                selection: {
                    tagStatus: "tagged",
                    tagPatternList: [`${releaseTagPrefix}*`],
                    countType: "imageCountMoreThan",
                    countNumber: args.keepReleases * imagesPerRelease,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 3,
                description: `expire untagged images after ${args.untaggedImageDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: args.untaggedImageDays,
                },
                action: { type: "expire" },
            },
        ],
    };
}

/**
 * `<repository>@<digest>`. A preview builds the image but pushes nothing, so docker-build
 * reports no digest yet (pulumi-docker-build, provider/internal/image.go): the reference is
 * then unknown until the update, as the engine shows any value computed at deploy time.
 */
function pinnedRef(repositoryUrl: pulumi.Output<string>, digest: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([repositoryUrl, digest]).apply(([url, sha]) => {
        if (DIGEST.test(sha)) {
            return `${url}@${sha}`;
        }
        if (pulumi.runtime.isDryRun()) {
            return pulumi.unknown as unknown as string;
        }
        throw new Error(`MultiArchImage: expected the pushed image's digest (sha256:<64 hex>), got "${sha}"`);
    });
}

/**
 * A content hash of everything that decides the image: the files Docker would send as
 * context (after `.dockerignore`) with their executable bits, the Dockerfile and the build
 * args. Hashing the inputs, not the clock or a commit, keeps the tag stable across identical
 * builds; the modes count because they are copied into the image, and docker-build's own
 * context hash counts them too (docs/platform-facts.md, "docker-build").
 */
export function buildContextHash(
    context: string,
    dockerfile: string,
    buildArgs: Readonly<Record<string, string>>,
): string {
    const ignoreFile = path.join(context, ".dockerignore");
    const patterns = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : [];
    const rules = ignore().add(patterns);
    // An ignored directory can be skipped whole unless a `!` rule may bring part of it back.
    const canPrune = !patterns.some((pattern) => pattern.trim().startsWith("!"));
    const skipDirectory = (dir: string) => canPrune && rules.ignores(dir);
    const hash = crypto.createHash("sha256");
    for (const file of listFiles(context, skipDirectory).filter(rules.createFilter())) {
        // Only the executable bit, the part of a mode git records: the rest follows the checkout's umask.
        const executable = (fs.statSync(path.join(context, file)).mode & 0o111) !== 0;
        hash.update(`file ${file} ${executable ? "x" : "-"}\n`);
        hash.update(fs.readFileSync(path.join(context, file)));
    }
    hash.update(`dockerfile\n`);
    hash.update(fs.readFileSync(dockerfile));
    for (const key of Object.keys(buildArgs).sort()) {
        hash.update(`arg ${key}=${buildArgs[key]}\n`);
    }
    return hash.digest("hex");
}

function listFiles(root: string, skipDirectory: (dir: string) => boolean, relative = ""): string[] {
    const files: string[] = [];
    const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const entryPath = relative === "" ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
            if (!skipDirectory(entryPath)) {
                files.push(...listFiles(root, skipDirectory, entryPath));
            }
        } else if (entry.isFile()) {
            files.push(entryPath);
        }
    }
    return files;
}
