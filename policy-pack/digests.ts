// Running images should be referenced by digest: a tag can move between review and deploy.

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { isDigestPinned } from "./architecture";
import { violationMessage } from "./messages";
import { APP_RUNNER_SERVICE, ECS_TASK_DEFINITION, LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION } from "./resourceTypes";
import { asString, readPath } from "./unknowns";

/** An image reference found on a resource, with where it was found. */
interface ImageReference {
    where: string;
    reference: string;
}

function lambdaImageReferences(props: Record<string, unknown>, type: string): ImageReference[] | "not-an-image" {
    // Classic: `imageUri` at the top level; aws-native: `code.imageUri`. A zip function has neither.
    const path = type === LAMBDA_FUNCTION ? ["imageUri"] : ["code", "imageUri"];
    const imageUri = readPath(props, ...path);
    if (!imageUri.known) {
        return [];
    }
    const reference = asString(imageUri.value);
    return reference === undefined || reference === "" ? "not-an-image" : [{ where: path.join("."), reference }];
}

function ecsImageReferences(props: Record<string, unknown>): ImageReference[] | "not-an-image" {
    const definitions = readPath(props, "containerDefinitions");
    if (!definitions.known || typeof definitions.value !== "string") {
        return [];
    }
    let containers: unknown;
    try {
        // aws.ecs.TaskDefinition takes containerDefinitions as a JSON string.
        containers = JSON.parse(definitions.value);
    } catch {
        return [];
    }
    if (!Array.isArray(containers)) {
        return [];
    }
    return containers.flatMap((container: unknown, index): ImageReference[] => {
        const record =
            typeof container === "object" && container !== null ? (container as Record<string, unknown>) : {};
        const image = asString(record["image"]);
        const name = asString(record["name"]) ?? `#${index}`;
        return image === undefined ? [] : [{ where: `containerDefinitions[${name}].image`, reference: image }];
    });
}

function appRunnerImageReferences(props: Record<string, unknown>): ImageReference[] | "not-an-image" {
    const identifier = readPath(props, "sourceConfiguration", "imageRepository", "imageIdentifier");
    if (!identifier.known) {
        return [];
    }
    const reference = asString(identifier.value);
    // A service built from a code repository has no image to pin.
    return reference === undefined
        ? "not-an-image"
        : [{ where: "sourceConfiguration.imageRepository.imageIdentifier", reference }];
}

/** The image references of a resource this policy covers, or undefined for any other type. */
function imageReferencesOf(
    type: string,
    name: string,
    props: Record<string, unknown>,
): { subject: string; references: ImageReference[] | "not-an-image" } | undefined {
    switch (type) {
        case LAMBDA_FUNCTION:
        case NATIVE_LAMBDA_FUNCTION:
            return { subject: `Lambda function "${name}"`, references: lambdaImageReferences(props, type) };
        case ECS_TASK_DEFINITION:
            return { subject: `ECS task definition "${name}"`, references: ecsImageReferences(props) };
        case APP_RUNNER_SERVICE:
            return { subject: `App Runner service "${name}"`, references: appRunnerImageReferences(props) };
        default:
            return undefined;
    }
}

/**
 * Advisory: a tag can be moved by any later push, so what runs is not what was reviewed; and a multi-arch tag
 * resolves to an image index, which Lambda rejects (docs/platform-facts.md, "AWS Lambda"). Advisory because
 * pinning is a practice, not a correctness rule, and public images are often used by tag on purpose.
 * References not known during preview (a digest computed by the build) are checked when the update runs.
 */
export const imagesPinnedByDigest: ResourceValidationPolicy = {
    name: "images-pinned-by-digest",
    description: "Lambda, ECS and App Runner should reference container images by digest (@sha256:), not by tag.",
    enforcementLevel: "advisory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const props: Record<string, unknown> = args.props;
        const found = imageReferencesOf(args.type, args.name, props);
        if (found === undefined) {
            args.notApplicable("Policy only applies to Lambda functions, ECS task definitions and App Runner services");
        }
        const { subject, references } = found;
        if (references === "not-an-image") {
            args.notApplicable("The resource does not run a container image");
        }
        for (const { where, reference } of references.filter((found) => !isDigestPinned(found.reference))) {
            reportViolation(
                violationMessage({
                    subject,
                    found: `${where} is "${reference}", a reference by tag that a later push can change`,
                    required: "container images referenced by digest (<repo>@sha256:<digest>)",
                    fix:
                        "use the digest-pinned reference from the build (the docker-build Image `ref` output, or <repo>@sha256:<digest> " +
                        "of the platform-specific image: arm64 for arm64 Lambda and ARM64 tasks, amd64 for App Runner)",
                }),
            );
        }
    },
};
