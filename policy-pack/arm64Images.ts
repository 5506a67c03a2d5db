// Container images: every ECR repository this stack pushes to with docker-build must receive a linux/arm64 image.

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { isLinuxArm64Platform } from "./architecture";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_ONLY_CONFIG_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import { DOCKER_BUILD_IMAGE, DOCKER_BUILD_INDEX, ECR_REPOSITORY } from "./resourceTypes";
import { Known, asString, asStringArray, readPath } from "./unknowns";

/** True for an image reference or repository URL in a private ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com`). */
export function isEcrReference(reference: string): boolean {
    return reference.includes(".dkr.ecr.") && reference.includes(".amazonaws.com");
}

/**
 * The repository part of an image reference: `registry/path` without `:tag` or `@digest`
 * (`123.dkr.ecr.us-east-1.amazonaws.com/app:arm64` gives `123.dkr.ecr.us-east-1.amazonaws.com/app`).
 */
export function repositoryOf(reference: string): string {
    const withoutDigest = reference.split("@")[0];
    const lastSlash = withoutDigest.lastIndexOf("/");
    const lastColon = withoutDigest.lastIndexOf(":");
    // A colon before the last slash belongs to a registry port, not to a tag.
    return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/** What the stack knows about one pushed ECR repository. */
interface RepositoryEvidence {
    /** How to name the repository in a message. */
    label: string;
    /** The docker-build Images and Indexes that push to it. */
    pushers: PolicyResource[];
    /** An arm64 image certainly reaches the repository. */
    receivesArm64: boolean;
    /** Some pusher's platforms or sources are not known yet, so arm64 may still arrive. */
    possiblyArm64: boolean;
    /** Platform lists of the pushing Images, for the message. */
    platformsSeen: string[];
}

/** Maps a repository (by URL, or by URN while its URL is unknown) to one key and a readable label. */
class RepositoryKeys {
    private readonly urlToKey = new Map<string, string>();
    private readonly labels = new Map<string, string>();

    constructor(stack: readonly PolicyResource[]) {
        for (const repository of stack.filter((resource) => resource.type === ECR_REPOSITORY)) {
            const url = readPath(repository.props, "repositoryUrl");
            const key = this.keyOfRepositoryResource(repository);
            if (url.known && typeof url.value === "string") {
                this.urlToKey.set(url.value, key);
            }
            this.labels.set(
                key,
                url.known && typeof url.value === "string" ? url.value : `ECR repository "${repository.name}"`,
            );
        }
    }

    private keyOfRepositoryResource(repository: PolicyResource): string {
        const url = readPath(repository.props, "repositoryUrl");
        return url.known && typeof url.value === "string" ? url.value : `urn:${repository.urn}`;
    }

    /**
     * The ECR repository keys a resource pushes to through `property` (Image `tags`, Index `tag`). Known tags are
     * parsed; a tag not known yet (derived from a new repository's URL) is traced to the `aws:ecr/repository`
     * resource it came from through the engine's property dependencies.
     */
    repositoriesOf(pusher: PolicyResource, property: string, tags: Known<unknown>[]): string[] {
        const keys = new Set<string>();
        let anyUnknown = false;
        for (const tag of tags) {
            if (!tag.known) {
                anyUnknown = true;
                continue;
            }
            const value = asString(tag.value);
            if (value !== undefined && isEcrReference(value)) {
                const repository = repositoryOf(value);
                const key = this.urlToKey.get(repository) ?? repository;
                keys.add(key);
                if (!this.labels.has(key)) {
                    this.labels.set(key, repository);
                }
            }
        }
        if (anyUnknown) {
            for (const source of pusher.propertyDependencies[property] ?? []) {
                if (source.type === ECR_REPOSITORY) {
                    keys.add(this.keyOfRepositoryResource(source));
                }
            }
        }
        return [...keys];
    }

    label(key: string): string {
        return this.labels.get(key) ?? key;
    }
}

/** Each element of a string-array property, read one by one so that one unknown element does not hide the rest. */
function readElements(resource: PolicyResource, property: string): Known<unknown>[] {
    const list = readPath(resource.props, property);
    if (!list.known) {
        return [list];
    }
    if (!Array.isArray(list.value)) {
        return [];
    }
    return list.value.map((_, index) => readPath(resource.props, property, index));
}

/**
 * Whether one docker-build `exports` entry pushes: a `registry` export pushes unless `push: false`, an `image`
 * export only with `push: true` (the defaults documented in @pulumi/docker-build's ExportRegistry and
 * ExportImage), a `raw` export as buildx reads it (see rawExportPushes); a `disabled` export never.
 */
function exportPushes(entry: unknown): boolean {
    if (typeof entry !== "object" || entry === null) {
        return false;
    }
    const { disabled, registry, image, raw } = entry as Record<string, unknown>;
    if (disabled === true) {
        return false;
    }
    const pushOf = (target: unknown) =>
        typeof target === "object" && target !== null ? (target as Record<string, unknown>).push : undefined;
    if (registry !== undefined && registry !== null && pushOf(registry) !== false) {
        return true;
    }
    if (pushOf(image) === true) {
        return true;
    }
    return typeof raw === "string" && rawExportPushes(raw);
}

/**
 * A buildx `--output` string: `type=registry` pushes unless it sets `push` to something other than `true`,
 * any other type only with `push=true` (pulumi-docker-build v0.0.22, provider/internal/export.go, Export.pushed
 * and parseExports, which defaults `push` to true for a registry export).
 */
export function rawExportPushes(raw: string): boolean {
    const attributes = new Map(
        raw.split(",").map((pair) => {
            const [key, ...value] = pair.split("=");
            return [key.trim().toLowerCase(), value.join("=").trim().toLowerCase()] as const;
        }),
    );
    const push = attributes.get("push");
    return attributes.get("type") === "registry" ? push === undefined || push === "true" : push === "true";
}

function pushes(resource: PolicyResource): boolean {
    const push = readPath(resource.props, "push");
    // An unknown `push` or `exports` is treated as a push: skipping it could hide a repository without arm64.
    if (!push.known || push.value === true) {
        return true;
    }
    const exports = readPath(resource.props, "exports");
    return !exports.known || (Array.isArray(exports.value) && exports.value.some(exportPushes));
}

/** Whether an Image builds linux/arm64: true, false, or undefined while its platforms are unknown. */
function imageBuildsArm64(image: PolicyResource): boolean | undefined {
    const platforms = readPath(image.props, "platforms");
    if (!platforms.known) {
        return undefined;
    }
    return (asStringArray(platforms.value) ?? []).some(isLinuxArm64Platform);
}

/**
 * Whether an Index joins an arm64 Image: true, false, or undefined when a source cannot be traced. A known
 * source is matched to an Image by its `ref` output or one of its tags; an unknown source (an Image's `ref`
 * during preview) is traced through the engine's property dependencies.
 */
function indexJoinsArm64(index: PolicyResource, images: readonly PolicyResource[]): boolean | undefined {
    const sourceImages = new Set<PolicyResource>();
    let anyUnknown = false;
    // A known source that matches no Image in the stack (an image built elsewhere) has an unknown platform.
    let anyUnmatched = false;
    for (const source of readElements(index, "sources")) {
        if (!source.known) {
            anyUnknown = true;
            continue;
        }
        const value = asString(source.value);
        const image =
            value === undefined
                ? undefined
                : images.find((candidate) => {
                      const ref = readPath(candidate.props, "ref");
                      if (ref.known && ref.value === value) {
                          return true;
                      }
                      return readElements(candidate, "tags").some(
                          (tag) => tag.known && tag.value === value.split("@")[0],
                      );
                  });
        if (image) {
            sourceImages.add(image);
        } else {
            anyUnmatched = true;
        }
    }
    if (anyUnknown) {
        // The engine lists every resource the `sources` value was computed from.
        const traced = (index.propertyDependencies["sources"] ?? []).filter(
            (dependency) => dependency.type === DOCKER_BUILD_IMAGE,
        );
        traced.forEach((image) => sourceImages.add(image));
        anyUnmatched ||= traced.length === 0;
    }
    const verdicts = [...sourceImages].map(imageBuildsArm64);
    if (verdicts.includes(true)) {
        return true;
    }
    return anyUnmatched || verdicts.includes(undefined) ? undefined : false;
}

function collectRepositoryEvidence(stack: readonly PolicyResource[]): Map<string, RepositoryEvidence> {
    const keys = new RepositoryKeys(stack);
    const images = stack.filter((resource) => resource.type === DOCKER_BUILD_IMAGE);
    const indexes = stack.filter((resource) => resource.type === DOCKER_BUILD_INDEX);
    const evidence = new Map<string, RepositoryEvidence>();
    const record = (key: string, pusher: PolicyResource, arm64: boolean | undefined, platforms?: string) => {
        const entry = evidence.get(key) ?? {
            label: keys.label(key),
            pushers: [],
            receivesArm64: false,
            possiblyArm64: false,
            platformsSeen: [],
        };
        entry.pushers.push(pusher);
        entry.receivesArm64 ||= arm64 === true;
        entry.possiblyArm64 ||= arm64 === undefined;
        if (platforms !== undefined) {
            entry.platformsSeen.push(platforms);
        }
        evidence.set(key, entry);
    };
    for (const image of images.filter(pushes)) {
        const arm64 = imageBuildsArm64(image);
        const platforms = readPath(image.props, "platforms");
        const shownPlatforms = platforms.known
            ? (asStringArray(platforms.value) ?? []).join(", ") || "builder default"
            : "unknown";
        for (const key of keys.repositoriesOf(image, "tags", readElements(image, "tags"))) {
            record(key, image, arm64, `"${image.name}" (${shownPlatforms})`);
        }
    }
    for (const index of indexes.filter(pushes)) {
        const arm64 = indexJoinsArm64(index, images);
        for (const key of keys.repositoriesOf(index, "tag", [readPath(index.props, "tag")])) {
            record(key, index, arm64);
        }
    }
    return evidence;
}

/**
 * Mandatory: the project builds one docker-build Image per platform and joins them with an Index, so the rule
 * is per repository, not per Image (the amd64 Image alone is fine). A repository without arm64 leaves arm64
 * Lambda functions and ARM64 Fargate tasks with nothing to pull ("exec format error" at run time).
 * Exempt a repository by naming any Image or Index that pushes to it, or the aws:ecr/repository resource.
 */
export const dockerBuildImageIncludesArm64: StackValidationPolicy = {
    name: "docker-build-image-includes-arm64",
    description: "Every ECR repository that docker-build images push to must receive at least one linux/arm64 image.",
    enforcementLevel: "mandatory",
    configSchema: EXEMPTIONS_ONLY_CONFIG_SCHEMA,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        if (
            !args.resources.some(
                (resource) => resource.type === DOCKER_BUILD_IMAGE || resource.type === DOCKER_BUILD_INDEX,
            )
        ) {
            args.notApplicable(
                `Policy only applies to stacks with ${DOCKER_BUILD_IMAGE} or ${DOCKER_BUILD_INDEX} resources`,
            );
        }
        const config = args.getConfig<ExemptionsConfig>();
        const repositoryResources = args.resources.filter((resource) => resource.type === ECR_REPOSITORY);
        for (const [key, repository] of collectRepositoryEvidence(args.resources)) {
            if (repository.receivesArm64 || repository.possiblyArm64) {
                continue;
            }
            const repositoryResource = repositoryResources.find((resource) => {
                const url = readPath(resource.props, "repositoryUrl");
                return key === `urn:${resource.urn}` || (url.known && url.value === key);
            });
            const names = [...repository.pushers, ...(repositoryResource ? [repositoryResource] : [])].map(
                (resource) => resource.name,
            );
            if (names.some((name) => exemptionFor(config, name))) {
                continue;
            }
            const found =
                repository.platformsSeen.length > 0
                    ? `the docker-build images pushed to it build only ${repository.platformsSeen.join("; ")}`
                    : `the images pushed to it (${names.join(", ")}) include no linux/arm64 image`;
            reportViolation(
                violationMessage({
                    subject: `ECR repository ${repository.label}`,
                    found,
                    required:
                        "every pushed ECR repository receives at least one linux/arm64 image, for arm64 Lambda and ARM64 Fargate",
                    fix:
                        'add a docker-build Image with platforms: ["linux/arm64"] that pushes to this repository (and join the ' +
                        `per-platform images with a docker-build Index), or add linux/arm64 to platforms; ${EXEMPTION_HINT}`,
                }),
                repository.pushers[0].urn,
            );
        }
    },
};
