// Lambda artifacts: the container image and the layers a function runs must be built for the function's architecture.
//
// Stack policies, because the function and its image or layer are two resources and only a stack policy sees both
// (as eks.ts reads a node group with its launch template). Lambda checks neither: an arm64 function on an
// amd64-only image is accepted and fails at invoke with "exec format error", and layer architectures are not
// compared with the function's (docs/platform-facts.md, "Lambda images and layers").

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ARCHITECTURES, CPU_ARCHITECTURES, CpuArchitecture, digestOf } from "./architecture";
import { LAMBDA_DEFAULT_ARCHITECTURE } from "./graviton";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_ONLY_CONFIG_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import {
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    LAMBDA_FUNCTION,
    LAMBDA_LAYER_VERSION,
    NATIVE_LAMBDA_FUNCTION,
    NATIVE_LAMBDA_LAYER_VERSION,
} from "./resourceTypes";
import { Known, asString, asStringArray, readPath } from "./unknowns";

const FUNCTION_TYPES: readonly string[] = [LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION];
const LAYER_TYPES: readonly string[] = [LAMBDA_LAYER_VERSION, NATIVE_LAMBDA_LAYER_VERSION];

/** What a check found for one function: nothing to judge, a pass, a known conflict, or something unknowable. */
export type ArtifactVerdict =
    | { kind: "not-applicable" }
    | { kind: "match" }
    | { kind: "mismatch"; found: string; fix: string }
    | { kind: "unknown"; reason: string };

export type FunctionArchitecture = { known: true; arch: CpuArchitecture } | { known: false; reason: string };

/**
 * The function's architecture from its outputs. An unknown with no property dependency is the provider's plan for
 * an unset Optional+Computed attribute, so it is judged as unset (Lambda's x86_64 default), as eks.ts does.
 */
export function functionArchitecture(fn: PolicyResource): FunctionArchitecture {
    const value = readPath(fn.props, "architectures");
    if (!value.known) {
        return (fn.propertyDependencies["architectures"] ?? []).length === 0
            ? { known: true, arch: LAMBDA_DEFAULT_ARCHITECTURE }
            : { known: false, reason: "its architectures is not known until the update runs" };
    }
    if (value.value === undefined || value.value === null) {
        return { known: true, arch: LAMBDA_DEFAULT_ARCHITECTURE };
    }
    const list = asStringArray(value.value) ?? [];
    const arch = CPU_ARCHITECTURES.find((candidate) => ARCHITECTURES[candidate].lambda === list[0]);
    return list.length === 1 && arch !== undefined
        ? { known: true, arch }
        : { known: false, reason: `its architectures is ${JSON.stringify(value.value)}, not one Lambda architecture` };
}

/** The architectures a docker-build platform list covers; `other` counts platforms that are not linux/amd64 or arm64. */
interface PlatformSet {
    archs: Set<CpuArchitecture>;
    other: string[];
    shown: string[];
}

function platformSet(platforms: readonly string[]): PlatformSet {
    const set: PlatformSet = { archs: new Set(), other: [], shown: [...platforms] };
    for (const platform of platforms) {
        const [os, arch, variant] = platform.split("/");
        // linux/arm64/v8 is arm64; any other variant, OS or architecture is not judged (Lambda runs Linux only).
        const found = CPU_ARCHITECTURES.find((candidate) => ARCHITECTURES[candidate].oci === arch);
        if (
            os === "linux" &&
            found !== undefined &&
            (variant === undefined || (found === "arm64" && variant === "v8"))
        ) {
            set.archs.add(found);
        } else {
            set.other.push(platform);
        }
    }
    return set;
}

type Platforms = { known: true; set: PlatformSet } | { known: false; reason: string };

function imagePlatforms(image: PolicyResource): Platforms {
    const platforms = readPath(image.props, "platforms");
    if (!platforms.known) {
        return { known: false, reason: `docker-build Image "${image.name}" has platforms not known until the update` };
    }
    const list = asStringArray(platforms.value) ?? [];
    return list.length === 0
        ? { known: false, reason: `docker-build Image "${image.name}" sets no platforms, so it builds the builder's` }
        : { known: true, set: platformSet(list) };
}

/** Each element of an array property, read one by one so that one unknown element does not hide the rest. */
function elements(resource: PolicyResource, property: string): Known<unknown>[] {
    const list = readPath(resource.props, property);
    if (!list.known) {
        return [list];
    }
    return Array.isArray(list.value) ? list.value.map((_, index) => readPath(resource.props, property, index)) : [];
}

/** True when an Image's `ref` or `digest` output, or one of its tags, names `reference`. */
function imageNamedBy(image: PolicyResource, reference: string): boolean {
    const digest = digestOf(reference);
    const ref = readPath(image.props, "ref");
    const imageDigest = readPath(image.props, "digest");
    if (digest !== undefined) {
        return (
            (imageDigest.known && imageDigest.value === digest) ||
            (ref.known && typeof ref.value === "string" && digestOf(ref.value) === digest)
        );
    }
    return (
        (ref.known && ref.value === reference) ||
        elements(image, "tags").some((tag) => tag.known && tag.value === reference)
    );
}

function indexNamedBy(index: PolicyResource, reference: string): boolean {
    const digest = digestOf(reference);
    const ref = readPath(index.props, "ref");
    if (digest !== undefined) {
        return ref.known && typeof ref.value === "string" && digestOf(ref.value) === digest;
    }
    const tag = readPath(index.props, "tag");
    return (ref.known && ref.value === reference) || (tag.known && tag.value === reference);
}

/**
 * An Index's platforms: the union of its source Images' platforms. A known source is matched to an Image by its
 * `ref`/`digest` or a tag; an unknown one (an Image's `ref` during preview) through the property dependencies.
 */
function indexPlatforms(index: PolicyResource, stack: readonly PolicyResource[]): Platforms {
    const images = stack.filter((resource) => resource.type === DOCKER_BUILD_IMAGE);
    const sources = new Set<PolicyResource>();
    const unresolved: string[] = [];
    let anyUnknown = false;
    for (const source of elements(index, "sources")) {
        if (!source.known) {
            anyUnknown = true;
            continue;
        }
        const reference = asString(source.value) ?? "";
        const image = images.find((candidate) => imageNamedBy(candidate, reference));
        if (image) {
            sources.add(image);
        } else {
            unresolved.push(reference);
        }
    }
    if (anyUnknown) {
        const traced = (index.propertyDependencies["sources"] ?? []).filter((dep) => dep.type === DOCKER_BUILD_IMAGE);
        traced.forEach((image) => sources.add(image));
        if (traced.length === 0) {
            unresolved.push("a source not known until the update");
        }
    }
    const union: PlatformSet = { archs: new Set(), other: [], shown: [] };
    const unknownReasons: string[] = unresolved.map(
        (source) => `Index "${index.name}" joins ${source}, not built in this stack`,
    );
    for (const image of sources) {
        const platforms = imagePlatforms(image);
        if (!platforms.known) {
            unknownReasons.push(platforms.reason);
            continue;
        }
        platforms.set.archs.forEach((arch) => union.archs.add(arch));
        union.other.push(...platforms.set.other);
        union.shown.push(...platforms.set.shown);
    }
    if (unknownReasons.length > 0) {
        // Some platforms are unknown: the union is only a lower bound, reported as other platforms.
        union.other.push(...unknownReasons);
        union.shown.push(...unknownReasons);
    }
    return { known: true, set: union };
}

function platformsOf(resource: PolicyResource, stack: readonly PolicyResource[]): Platforms {
    return resource.type === DOCKER_BUILD_INDEX ? indexPlatforms(resource, stack) : imagePlatforms(resource);
}

/** The docker-build Images and Indexes of the stack a function's image reference names, or why none can be found. */
function imageCandidates(
    fn: PolicyResource,
    stack: readonly PolicyResource[],
): { candidates: PolicyResource[]; reference?: string } | "not-an-image" | { reason: string } {
    // Classic: `imageUri` at the top level; aws-native: `code.imageUri` (a zip function has neither).
    const path = fn.type === LAMBDA_FUNCTION ? ["imageUri"] : ["code", "imageUri"];
    const imageUri = readPath(fn.props, ...path);
    const builds = stack.filter(
        (resource) => resource.type === DOCKER_BUILD_IMAGE || resource.type === DOCKER_BUILD_INDEX,
    );
    if (!imageUri.known) {
        // The engine records which resources the reference was computed from (an Image's digest, an Index's ref).
        const traced = (fn.propertyDependencies[path[0]] ?? []).filter(
            (dep) => dep.type === DOCKER_BUILD_IMAGE || dep.type === DOCKER_BUILD_INDEX,
        );
        return traced.length > 0
            ? { candidates: traced }
            : {
                  reason: `${path.join(".")} is not known until the update runs and comes from no docker-build image of this stack`,
              };
    }
    const reference = asString(imageUri.value);
    if (reference === undefined || reference === "") {
        return "not-an-image";
    }
    const candidates = dockerBuildsNamedBy(reference, builds);
    return candidates.length > 0
        ? { candidates, reference }
        : { reason: `${path.join(".")} "${reference}" is not built by a docker-build Image or Index of this stack` };
}

const describe = (set: PlatformSet) => (set.shown.length > 0 ? set.shown.join(", ") : "no known platform");

/** The docker-build Images and Indexes among `resources` that an image reference names (by digest, `ref` or tag). */
export function dockerBuildsNamedBy(reference: string, resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((resource) =>
        resource.type === DOCKER_BUILD_INDEX
            ? indexNamedBy(resource, reference)
            : resource.type === DOCKER_BUILD_IMAGE && imageNamedBy(resource, reference),
    );
}

/**
 * Whether docker-build candidates cover `arch`: every one builds it (match), every one is fully known and none does
 * (excluded, a known conflict), or it cannot be told; `shown` names each candidate with its platforms.
 */
export type PlatformCoverage = { kind: "match" } | { kind: "excluded" | "unknown"; shown: string };

export function platformCoverage(
    candidates: readonly PolicyResource[],
    arch: CpuArchitecture,
    stack: readonly PolicyResource[],
): PlatformCoverage {
    const verdicts = candidates.map((candidate) => ({ candidate, platforms: platformsOf(candidate, stack) }));
    if (verdicts.every(({ platforms }) => platforms.known && platforms.set.archs.has(arch))) {
        return { kind: "match" };
    }
    // A conflict only when every candidate is fully known and none includes the architecture.
    const excluded = verdicts.every(
        ({ platforms }) => platforms.known && !platforms.set.archs.has(arch) && platforms.set.other.length === 0,
    );
    const shown = verdicts
        .map(({ candidate, platforms }) => {
            const kind = candidate.type === DOCKER_BUILD_INDEX ? "Index" : "Image";
            return `docker-build ${kind} "${candidate.name}" (${platforms.known ? describe(platforms.set) : platforms.reason})`;
        })
        .join("; ");
    return { kind: excluded ? "excluded" : "unknown", shown };
}

/** The verdict on a function's container image. */
export function lambdaImageVerdict(fn: PolicyResource, stack: readonly PolicyResource[]): ArtifactVerdict {
    const found = imageCandidates(fn, stack);
    if (found === "not-an-image") {
        return { kind: "not-applicable" };
    }
    if ("reason" in found) {
        return { kind: "unknown", reason: found.reason };
    }
    const arch = functionArchitecture(fn);
    if (!arch.known) {
        return { kind: "unknown", reason: arch.reason };
    }
    const oci = ARCHITECTURES[arch.arch].oci;
    const coverage = platformCoverage(found.candidates, arch.arch, stack);
    if (coverage.kind === "match") {
        return { kind: "match" };
    }
    const shown = coverage.shown;
    if (coverage.kind === "excluded") {
        return {
            kind: "mismatch",
            found: `it runs on ${arch.arch}, but its image is ${shown}, which has no linux/${oci} image`,
            fix:
                `point imageUri at the linux/${oci} image's digest (<repo>@sha256:<${oci} digest>) or add ` +
                `"linux/${oci}" to the Image's platforms, or set architectures to the image's architecture`,
        };
    }
    return { kind: "unknown", reason: `its image's platforms cannot be compared with ${arch.arch}: ${shown}` };
}

/** The verdict on a function's layers. */
export function lambdaLayerVerdicts(fn: PolicyResource, stack: readonly PolicyResource[]): ArtifactVerdict[] {
    const entries = elements(fn, "layers");
    if (entries.length === 0) {
        return [{ kind: "not-applicable" }];
    }
    const layers = stack.filter((resource) => LAYER_TYPES.includes(resource.type));
    const attached: { layer: PolicyResource }[] = [];
    const verdicts: ArtifactVerdict[] = [];
    for (const entry of entries.filter((item) => item.known)) {
        const arn = asString(entry.value) ?? "";
        // aws: `arn` is the layer version ARN; aws-native: `layerVersionArn`.
        const layer = layers.find((candidate) =>
            ["arn", "layerVersionArn"].some((property) => {
                const value = readPath(candidate.props, property);
                return value.known && value.value === arn;
            }),
        );
        if (layer) {
            attached.push({ layer });
        } else {
            verdicts.push({ kind: "unknown", reason: `layer ${arn} is not a LayerVersion of this stack` });
        }
    }
    if (entries.some((item) => !item.known)) {
        const traced = (fn.propertyDependencies["layers"] ?? []).filter((dep) => LAYER_TYPES.includes(dep.type));
        traced
            .filter((layer) => !attached.some((seen) => seen.layer === layer))
            .forEach((layer) => attached.push({ layer }));
        if (traced.length === 0) {
            verdicts.push({
                kind: "unknown",
                reason: "a layer ARN is not known until the update runs and comes from no LayerVersion of this stack",
            });
        }
    }
    if (attached.length === 0) {
        return verdicts;
    }
    const arch = functionArchitecture(fn);
    for (const { layer } of attached) {
        const compatible = readPath(layer.props, "compatibleArchitectures");
        const list = compatible.known ? (asStringArray(compatible.value) ?? []) : undefined;
        if (!arch.known) {
            verdicts.push({ kind: "unknown", reason: arch.reason });
        } else if (list === undefined) {
            verdicts.push({
                kind: "unknown",
                reason: `layer "${layer.name}" has compatibleArchitectures not known until the update runs`,
            });
        } else if (list.length === 0) {
            verdicts.push({ kind: "unknown", reason: `layer "${layer.name}" declares no compatibleArchitectures` });
        } else if (list.includes(ARCHITECTURES[arch.arch].lambda)) {
            verdicts.push({ kind: "match" });
        } else {
            verdicts.push({
                kind: "mismatch",
                found: `it runs on ${arch.arch}, but its layer "${layer.name}" has compatibleArchitectures ${JSON.stringify(list)}`,
                fix: `build the layer for ${arch.arch} and list "${arch.arch}" in its compatibleArchitectures, or attach a ${arch.arch} build of it`,
            });
        }
    }
    return verdicts;
}

function functionsOf(args: StackValidationArgs): PolicyResource[] {
    const functions = args.resources.filter((resource) => FUNCTION_TYPES.includes(resource.type));
    if (functions.length === 0) {
        args.notApplicable(`Policy only applies to stacks with ${FUNCTION_TYPES.join(" or ")} resources`);
    }
    return functions;
}

type Artifact = "image" | "layer";

function verdictsFor(artifact: Artifact, fn: PolicyResource, stack: readonly PolicyResource[]): ArtifactVerdict[] {
    return artifact === "image" ? [lambdaImageVerdict(fn, stack)] : lambdaLayerVerdicts(fn, stack);
}

function matchPolicy(artifact: Artifact, description: string): StackValidationPolicy {
    return {
        name: `lambda-${artifact}-architecture-match`,
        description,
        enforcementLevel: "mandatory",
        configSchema: EXEMPTIONS_ONLY_CONFIG_SCHEMA,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = args.getConfig<ExemptionsConfig>();
            for (const fn of functionsOf(args)) {
                if (exemptionFor(config, fn.name)) {
                    continue;
                }
                for (const verdict of verdictsFor(artifact, fn, args.resources)) {
                    if (verdict.kind === "mismatch") {
                        reportViolation(
                            violationMessage({
                                subject: `Lambda function "${fn.name}"`,
                                found: verdict.found,
                                required: `the function's ${artifact} must be built for the function's architecture`,
                                fix: `${verdict.fix}; ${EXEMPTION_HINT}`,
                            }),
                            fn.urn,
                        );
                    }
                }
            }
        },
    };
}

function unknownPolicy(artifact: Artifact, description: string): StackValidationPolicy {
    return {
        name: `lambda-${artifact}-architecture-unknown`,
        description,
        enforcementLevel: "advisory",
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            for (const fn of functionsOf(args)) {
                for (const verdict of verdictsFor(artifact, fn, args.resources)) {
                    if (verdict.kind === "unknown") {
                        reportViolation(
                            violationMessage({
                                subject: `Lambda function "${fn.name}"`,
                                found: `the architecture of its ${artifact} cannot be verified: ${verdict.reason}`,
                                required: `a ${artifact} whose architecture lambda-${artifact}-architecture-match can compare with the function's`,
                                fix:
                                    artifact === "image"
                                        ? "build the image in this stack with docker-build (platforms set) and pass its digest-pinned ref; otherwise check by hand that the image is built for the function's architecture"
                                        : "create the layer in this stack with compatibleArchitectures set; otherwise check by hand that the layer is built for the function's architecture",
                            }),
                            fn.urn,
                        );
                    }
                }
            }
        },
    };
}

/**
 * Mandatory: both facts are known (the function's architecture and the platforms of an image built in this stack),
 * and Lambda accepts the pair, so the failure would show only at invoke.
 */
export const lambdaImageArchitectureMatch = matchPolicy(
    "image",
    "Lambda functions must run a container image built for their architecture (docker-build Image or Index platforms).",
);

/** Advisory: the image comes from outside the stack, or its platforms cannot be read; never a silent pass. */
export const lambdaImageArchitectureUnknown = unknownPolicy(
    "image",
    "Reports Lambda container images whose architecture cannot be verified (built outside the stack, platforms unknown).",
);

/** Mandatory: an in-stack layer's compatibleArchitectures excludes the function's architecture; Lambda does not check. */
export const lambdaLayerArchitectureMatch = matchPolicy(
    "layer",
    "Lambda functions must use layers whose compatibleArchitectures include the function's architecture.",
);

/** Advisory: a layer from outside the stack, or one that declares no compatibleArchitectures. */
export const lambdaLayerArchitectureUnknown = unknownPolicy(
    "layer",
    "Reports Lambda layers whose architecture cannot be verified (outside the stack, no compatibleArchitectures).",
);
