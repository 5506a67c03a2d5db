// A model of what the @pulumi/docker-build provider (v0.0.22) does across `pulumi up` runs, read from
// its source (pulumi/pulumi-docker-build, provider/internal/):
// - image.go Diff: every input is compared as it is (context.location and dockerfile.location as
//   plain strings, the Dockerfile defaulting to <context>/Dockerfile), registries by address and
//   username only (never the password), plus the context hash; any difference is an update, and
//   Update is a full Create: build, export the cache, push every tag.
// - context.go hashBuildContext: the Dockerfile's content, then each file the .dockerignore lets
//   through with its content, relative path and full file mode, resolved from the provider's
//   working directory (the project directory).
// - index.go: a new tag replaces the Index (create the new one, then Delete, which removes the old
//   manifest from the registry); new sources update it (re-push under the same tag).
// The engine's part: a resource whose update was interrupted keeps its old state, so the next run
// repeats the update; a resource with retainOnDelete is dropped from the state without Delete.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import ignore from "@balena/dockerignore";
import type * as dockerbuild from "@pulumi/docker-build";
import type * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../harness";
import type { EcrRepositoryModel } from "./ecrRepository";

export type ImageInputs = pulumi.Unwrap<dockerbuild.ImageArgs>;
export type IndexInputs = pulumi.Unwrap<dockerbuild.IndexArgs>;

interface ImageState {
    inputs: ImageInputs;
    contextHash: string;
    digest: string;
}

interface IndexState {
    tag: string;
    sources: string[];
    digest: string;
}

/** One `pulumi up` as the provider saw it. */
export interface DeployResult {
    /** Each Image that had a diff, with the inputs that differed. */
    imageDiffs: Record<string, string[]>;
    /** What happened to each Index. */
    indexSteps: Record<string, "create" | "replace" | "update" | "same">;
}

export class InterruptedError extends Error {}

const sha = (...parts: unknown[]) =>
    `sha256:${crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex")}`;

/** The tag part of `host/repository:tag`. */
export function tagOf(ref: string): string {
    const name = ref.split("@")[0];
    return name.slice(name.lastIndexOf(":") + 1);
}

function dockerfileOf(inputs: ImageInputs): string {
    return inputs.dockerfile?.location ?? path.join(inputs.context?.location ?? ".", "Dockerfile");
}

/** hashBuildContext as context.go computes it, from `cwd` (the provider's working directory). */
export function providerContextHash(cwd: string, inputs: ImageInputs): string {
    const context = path.resolve(cwd, inputs.context?.location ?? ".");
    const hash = crypto.createHash("sha256");
    hash.update(fs.readFileSync(path.resolve(cwd, dockerfileOf(inputs))));
    const ignoreFile = path.join(context, ".dockerignore");
    const rules = ignore().add(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : []);
    const walk = (relative: string): string[] =>
        fs
            .readdirSync(path.join(context, relative), { withFileTypes: true })
            .sort((a, b) => (a.name < b.name ? -1 : 1))
            .flatMap((entry) => {
                const entryPath = relative === "" ? entry.name : `${relative}/${entry.name}`;
                return entry.isDirectory() ? walk(entryPath) : [entryPath];
            });
    for (const file of walk("").filter(rules.createFilter())) {
        const absolute = path.join(context, file);
        hash.update(fs.readFileSync(absolute));
        hash.update(file);
        hash.update(fs.statSync(absolute).mode.toString(8));
    }
    return hash.digest("hex");
}

/** The inputs image.go's Diff finds changed. */
export function imageDiff(old: ImageState, inputs: ImageInputs, contextHash: string): string[] {
    const changed: string[] = [];
    const special = new Set(["context", "dockerfile", "registries"]);
    const keys = new Set([...Object.keys(old.inputs), ...Object.keys(inputs)].filter((key) => !special.has(key)));
    for (const key of keys) {
        if (
            !isDeepStrictEqual((old.inputs as Record<string, unknown>)[key], (inputs as Record<string, unknown>)[key])
        ) {
            changed.push(key);
        }
    }
    if (old.inputs.context?.location !== inputs.context?.location) {
        changed.push("context.location");
    }
    if (dockerfileOf(old.inputs) !== dockerfileOf(inputs)) {
        changed.push("dockerfile");
    }
    const login = (value: ImageInputs) =>
        (value.registries ?? []).map((registry) => [registry.address, registry.username]);
    if (!isDeepStrictEqual(login(old.inputs), login(inputs))) {
        changed.push("registries");
    }
    if (old.contextHash !== contextHash) {
        changed.push("contextHash");
    }
    return changed;
}

/** The provider and engine across runs, pushing into one modelled ECR repository. */
export class DockerBuildModel {
    private readonly images = new Map<string, ImageState>();
    private readonly indexes = new Map<string, IndexState>();
    private builds = 0;

    constructor(private readonly repository: EcrRepositoryModel) {}

    /**
     * Applies one `pulumi up` of a program run's docker-build resources, run from `cwd`. With
     * `interruptAfterPush`, the run stops after the images were pushed and before their new
     * state was saved, as a cancelled or crashed update leaves it.
     */
    deploy(
        resources: readonly CapturedResource[],
        cwd: string,
        now: number,
        options: { interruptAfterPush?: boolean } = {},
    ): DeployResult {
        const result: DeployResult = { imageDiffs: {}, indexSteps: {} };
        const pushedDigests = new Map<string, string>();
        const newImageStates = new Map<string, ImageState>();
        for (const image of resources.filter((resource) => resource.type === "docker-build:index:Image")) {
            const inputs = image.inputs as ImageInputs;
            const contextHash = providerContextHash(cwd, inputs);
            const old = this.images.get(image.name);
            const changed = old === undefined ? ["(create)"] : imageDiff(old, inputs, contextHash);
            if (changed.length === 0 && old !== undefined) {
                (inputs.tags ?? []).forEach((tag) => pushedDigests.set(tag, old.digest));
                continue;
            }
            result.imageDiffs[image.name] = changed;
            // A BuildKit build is not byte-for-byte reproducible, so every build is a new digest.
            const digest = sha("image", contextHash, inputs.platforms, inputs.builder, (this.builds += 1));
            for (const cache of inputs.cacheTo ?? []) {
                if (cache.registry?.ref !== undefined) {
                    this.repository.put(
                        { digest: sha("cache", digest), kind: "cache" },
                        tagOf(cache.registry.ref),
                        now,
                    );
                }
            }
            for (const tag of inputs.tags ?? []) {
                this.repository.put({ digest, kind: "image" }, tagOf(tag), now);
                pushedDigests.set(tag, digest);
            }
            newImageStates.set(image.name, { inputs, contextHash, digest });
        }
        if (options.interruptAfterPush === true) {
            throw new InterruptedError("update interrupted after the push, before the state was saved");
        }
        newImageStates.forEach((state, name) => this.images.set(name, state));

        for (const index of resources.filter((resource) => resource.type === "docker-build:index:Index")) {
            const inputs = index.inputs as IndexInputs;
            // The sources are the images' `ref` outputs: tag@digest of what was pushed.
            const sources = inputs.sources.map((source) => {
                const tag = source.split("@")[0];
                return `${tag}@${pushedDigests.get(tag) ?? "unknown"}`;
            });
            const children = sources.map((source) => source.split("@")[1]);
            const digest = sha("index", children);
            const old = this.indexes.get(index.name);
            const step =
                old === undefined
                    ? "create"
                    : old.tag !== inputs.tag
                      ? "replace"
                      : !isDeepStrictEqual(old.sources, sources)
                        ? "update"
                        : "same";
            result.indexSteps[index.name] = step;
            if (step === "same") {
                continue;
            }
            this.repository.put({ digest, kind: "index", children }, tagOf(inputs.tag), now);
            if (step === "replace" && old !== undefined && index.options.retainOnDelete !== true) {
                this.repository.delete(old.digest);
            }
            this.indexes.set(index.name, { tag: inputs.tag, sources, digest });
        }
        return result;
    }

    /** The digest the last completed update recorded for an Index. */
    indexDigest(name: string): string | undefined {
        return this.indexes.get(name)?.digest;
    }
}
