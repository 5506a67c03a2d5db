// CodeBuild projects: the build image must be built for the CPU architecture of the project's environment type.
//
// CodeBuild names the architecture twice: in `environment.type` (ARM_CONTAINER, LINUX_CONTAINER, ...) and in the
// curated image's identifier (aws/codebuild/amazonlinux-aarch64-standard:3.0). A stack policy, because the image may
// be a docker-build Image or Index of the stack, judged by its platforms as lambdaArtifacts.ts judges Lambda images,
// and because a project on a compute fleet builds on the fleet's `environmentType`, not its own
// (docs/platform-facts.md, "CodeBuild environment types and images").

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ARCHITECTURES, CpuArchitecture } from "./architecture";
import { PlatformCoverage, dockerBuildsNamedBy, platformCoverage } from "./lambdaArtifacts";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import {
    EXEMPTIONS_SCHEMA,
    NodeGroupPolicyConfig,
    REQUIRE_GRAVITON_SCHEMA,
    exemptionFor,
    requireGraviton,
} from "./policyConfig";
import {
    CODEBUILD_FLEET,
    CODEBUILD_PROJECT,
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    NATIVE_CODEBUILD_FLEET,
    NATIVE_CODEBUILD_PROJECT,
} from "./resourceTypes";
import { asString, readPath, unknownPaths } from "./unknowns";

const PROJECT_TYPES: readonly string[] = [CODEBUILD_PROJECT, NATIVE_CODEBUILD_PROJECT];
const FLEET_TYPES: readonly string[] = [CODEBUILD_FLEET, NATIVE_CODEBUILD_FLEET];

/**
 * The Linux environment types whose CPU architecture is documented, each with its counterpart on the other
 * architecture (same compute mode). AWS CDK `LinuxBuildImage` ("x86-64 Linux", LINUX_CONTAINER),
 * `LinuxArmBuildImage` ("aarch64 Linux", ARM_CONTAINER), `LinuxLambdaBuildImage` / `LinuxArmLambdaBuildImage`
 * (x86-64 / aarch64 Lambda); LINUX_EC2 and ARM_EC2 are the Linux x86 and Arm reserved-capacity types (CodeBuild
 * user guide, "Build environment compute modes and types"). LINUX_GPU_CONTAINER, Windows and macOS types are not
 * listed: no page read for this pack gives their architecture.
 */
export const CODEBUILD_ENVIRONMENT_TYPES: Readonly<Record<string, { arch: CpuArchitecture; counterpart: string }>> = {
    ARM_CONTAINER: { arch: "arm64", counterpart: "LINUX_CONTAINER" },
    LINUX_CONTAINER: { arch: "x86_64", counterpart: "ARM_CONTAINER" },
    ARM_LAMBDA_CONTAINER: { arch: "arm64", counterpart: "LINUX_LAMBDA_CONTAINER" },
    LINUX_LAMBDA_CONTAINER: { arch: "x86_64", counterpart: "ARM_LAMBDA_CONTAINER" },
    ARM_EC2: { arch: "arm64", counterpart: "LINUX_EC2" },
    LINUX_EC2: { arch: "x86_64", counterpart: "ARM_EC2" },
};

/**
 * CodeBuild's curated image repositories (the identifier before `:`), by the architecture they are built for: the
 * EC2 and Lambda compute images of aws/aws-codebuild-docker-images (README, definitions under `aarch64/` and
 * `x86_64/`), the CodeBuild user guide's "Lambda compute images", and the AWS CDK's image constants. The Ubuntu
 * `standard` images are x86_64 only (CDK `LinuxBuildImage`; their Dockerfiles install x86_64 binaries).
 */
export const CODEBUILD_CURATED_IMAGES: Readonly<Record<string, CpuArchitecture>> = {
    "aws/codebuild/standard": "x86_64",
    "aws/codebuild/amazonlinux-x86_64-standard": "x86_64",
    "aws/codebuild/amazonlinux2-x86_64-standard": "x86_64",
    "aws/codebuild/amazonlinux-aarch64-standard": "arm64",
    "aws/codebuild/amazonlinux2-aarch64-standard": "arm64",
    "aws/codebuild/amazonlinux-x86_64-lambda-standard": "x86_64",
    "aws/codebuild/amazonlinux-aarch64-lambda-standard": "arm64",
};

/** A current curated image per architecture and compute mode, for fix instructions. */
const SUGGESTED_IMAGES: Readonly<Record<CpuArchitecture, { ec2: string; lambda: string }>> = {
    arm64: {
        ec2: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
        lambda: "aws/codebuild/amazonlinux-aarch64-lambda-standard:<runtime>",
    },
    x86_64: {
        ec2: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        lambda: "aws/codebuild/amazonlinux-x86_64-lambda-standard:<runtime>",
    },
};

const CURATED_PREFIX = "aws/codebuild/";

/** The architecture a build runs on: from `environment.type`, or from the compute fleet that replaces it. */
type Environment =
    | { known: true; type: string; arch: CpuArchitecture; counterpart: string; fleet?: string }
    | { known: false; reason: string };

/** A fleet's `environmentType` takes the reserved-capacity and container names of the project's table. */
const FLEET_ENVIRONMENT_TYPES: readonly string[] = ["ARM_EC2", "ARM_CONTAINER", "LINUX_EC2", "LINUX_CONTAINER"];

/**
 * The resources of `types` an unknown value at `path` under `environment` was computed from. The engine records
 * property dependencies for `environment` as a whole, so the trace is trusted only when every unknown in
 * `environment` is at or under `path`; otherwise another value (an environment variable, say) may account for them.
 */
function traced(
    project: PolicyResource,
    path: string,
    types: readonly string[],
): PolicyResource[] | { reason: string } {
    const unknowns = unknownPaths(project.props, "environment");
    const others = unknowns.filter((unknown) => unknown !== path && !unknown.startsWith(`${path}.`));
    if (others.length > 0) {
        return {
            reason: `${path} is not known until the update runs, and ${others.join(", ")} ${others.length === 1 ? "is" : "are"} not known either, so the resources environment was computed from cannot be told apart`,
        };
    }
    const sources = (project.propertyDependencies["environment"] ?? []).filter((dep) => types.includes(dep.type));
    return sources.length > 0
        ? sources
        : {
              reason: `${path} is not known until the update runs and comes from no ${types.join(" or ")} of this stack`,
          };
}

/** The compute fleets of the stack the project runs on, none, or why they cannot be found. */
function fleetsOf(project: PolicyResource, stack: readonly PolicyResource[]): PolicyResource[] | { reason: string } {
    const arn = readPath(project.props, "environment", "fleet", "fleetArn");
    if (!arn.known) {
        // A new fleet's `arn` is unknown in a first preview.
        return traced(project, "environment.fleet", FLEET_TYPES);
    }
    const value = asString(arn.value) ?? "";
    if (value === "") {
        return [];
    }
    const found = stack.filter((resource) => {
        const candidate = FLEET_TYPES.includes(resource.type) ? readPath(resource.props, "arn") : undefined;
        return candidate?.known === true && candidate.value === value;
    });
    return found.length > 0
        ? found
        : {
              reason: `it runs on compute fleet ${value}, not a fleet of this stack, whose environment type replaces the project's`,
          };
}

/** The architecture of the fleets a project runs on, each read from its `environmentType`; all must agree. */
function fleetEnvironment(fleets: readonly PolicyResource[]): Environment {
    const named: { fleet: PolicyResource; type: string }[] = [];
    for (const fleet of fleets) {
        const type = readPath(fleet.props, "environmentType");
        if (!type.known) {
            return {
                known: false,
                reason: `its fleet "${fleet.name}" has an environmentType not known until the update runs`,
            };
        }
        const name = asString(type.value) ?? "";
        if (!FLEET_ENVIRONMENT_TYPES.includes(name)) {
            return {
                known: false,
                reason: `its fleet "${fleet.name}" has environmentType ${JSON.stringify(type.value)}, not a Linux type with a documented architecture`,
            };
        }
        named.push({ fleet, type: name });
    }
    const [first, ...rest] = named;
    const { arch, counterpart } = CODEBUILD_ENVIRONMENT_TYPES[first.type];
    const other = rest.find((each) => CODEBUILD_ENVIRONMENT_TYPES[each.type].arch !== arch);
    return other === undefined
        ? { known: true, type: first.type, arch, counterpart, fleet: first.fleet.name }
        : {
              known: false,
              reason: `its fleet ARN comes from fleets of both architectures ("${first.fleet.name}", "${other.fleet.name}")`,
          };
}

/** The architecture the project builds on: its fleet's environment type, else its own `environment.type`. */
function environmentOf(project: PolicyResource, stack: readonly PolicyResource[]): Environment {
    // CodeBuild API reference, ProjectEnvironment `type`: ignored when the project runs on a compute fleet.
    const fleets = fleetsOf(project, stack);
    if ("reason" in fleets) {
        return { known: false, reason: fleets.reason };
    }
    if (fleets.length > 0) {
        return fleetEnvironment(fleets);
    }
    const type = readPath(project.props, "environment", "type");
    if (!type.known) {
        return { known: false, reason: "its environment.type is not known until the update runs" };
    }
    const name = asString(type.value) ?? "";
    if (!Object.hasOwn(CODEBUILD_ENVIRONMENT_TYPES, name)) {
        return {
            known: false,
            reason: `its environment.type ${JSON.stringify(type.value)} is not a Linux type with a documented architecture`,
        };
    }
    return { known: true, type: name, ...CODEBUILD_ENVIRONMENT_TYPES[name] };
}

/** How the environment's architecture reads in a message. */
function runsOn(environment: { type: string; arch: CpuArchitecture; fleet?: string }): string {
    return environment.fleet === undefined
        ? `environment.type ${environment.type} runs ${environment.arch}`
        : `its compute fleet "${environment.fleet}" has environmentType ${environment.type}, which runs ${environment.arch}`;
}

/** The change of environment that fixes it: the project's type, or the fleet it runs on. */
function otherEnvironment(environment: { counterpart: string; fleet?: string }): string {
    return environment.fleet === undefined
        ? `set environment.type to ${environment.counterpart}`
        : `run it on a fleet whose environmentType is ${environment.counterpart}`;
}

type Image =
    | { kind: "curated"; image: string; arch: CpuArchitecture }
    | { kind: "builds"; candidates: PolicyResource[] }
    | { kind: "unknown"; reason: string };

/** What the project's `environment.image` is: a curated image, docker-build builds of the stack, or unknowable. */
function imageOf(project: PolicyResource, stack: readonly PolicyResource[]): Image {
    const image = readPath(project.props, "environment", "image");
    if (!image.known) {
        // An Image's or Index's ref is unknown in a first preview.
        const sources = traced(project, "environment.image", [DOCKER_BUILD_IMAGE, DOCKER_BUILD_INDEX]);
        return "reason" in sources
            ? { kind: "unknown", reason: sources.reason }
            : { kind: "builds", candidates: sources };
    }
    const reference = asString(image.value) ?? "";
    const repository = reference.split(/[:@]/)[0];
    if (repository.startsWith(CURATED_PREFIX)) {
        return Object.hasOwn(CODEBUILD_CURATED_IMAGES, repository)
            ? { kind: "curated", image: reference, arch: CODEBUILD_CURATED_IMAGES[repository] }
            : { kind: "unknown", reason: `${reference} is a CodeBuild image with no architecture in the pack's table` };
    }
    const candidates = dockerBuildsNamedBy(reference, stack);
    return candidates.length > 0
        ? { kind: "builds", candidates }
        : {
              kind: "unknown",
              reason: `environment.image ${JSON.stringify(reference)} is neither a CodeBuild curated image nor built by a docker-build Image or Index of this stack`,
          };
}

/** What the match policy found for one project. */
type Verdict =
    { kind: "match" } | { kind: "mismatch"; found: string; fix: string } | { kind: "unknown"; reason: string };

function suggestedImage(environment: { type: string; arch: CpuArchitecture }): string {
    return SUGGESTED_IMAGES[environment.arch][environment.type.includes("LAMBDA") ? "lambda" : "ec2"];
}

/** The verdict on one project: its image against its environment type. */
export function codebuildProjectVerdict(project: PolicyResource, stack: readonly PolicyResource[]): Verdict {
    const environment = environmentOf(project, stack);
    if (!environment.known) {
        return { kind: "unknown", reason: environment.reason };
    }
    const image = imageOf(project, stack);
    const found = runsOn(environment);
    const fix = `use an ${environment.arch} image (e.g. ${suggestedImage(environment)}) or ${otherEnvironment(environment)}`;
    switch (image.kind) {
        case "unknown":
            return { kind: "unknown", reason: image.reason };
        case "curated":
            return image.arch === environment.arch
                ? { kind: "match" }
                : {
                      kind: "mismatch",
                      found: `${found}, but its image ${image.image} is built for ${image.arch}`,
                      fix,
                  };
        case "builds": {
            const coverage: PlatformCoverage = platformCoverage(image.candidates, environment.arch, stack);
            if (coverage.kind === "match") {
                return { kind: "match" };
            }
            return coverage.kind === "excluded"
                ? {
                      kind: "mismatch",
                      found: `${found}, but its image is ${coverage.shown}, which has no linux/${ARCHITECTURES[environment.arch].oci} image`,
                      fix,
                  }
                : {
                      kind: "unknown",
                      reason: `its image's platforms cannot be compared with ${environment.arch}: ${coverage.shown}`,
                  };
        }
    }
}

function projectsOf(args: StackValidationArgs): PolicyResource[] {
    const projects = args.resources.filter((resource) => PROJECT_TYPES.includes(resource.type));
    if (projects.length === 0) {
        args.notApplicable(`Policy only applies to stacks with ${PROJECT_TYPES.join(" or ")} resources`);
    }
    return projects;
}

/**
 * Mandatory: a curated or in-stack image whose architecture is not the one of the environment type, the project's or
 * its in-stack fleet's (CodeBuild starts the build and it fails on the first binary); with `requireGraviton`, also any
 * x86_64 environment type.
 */
export const codebuildProjectArchitectureMatch: StackValidationPolicy = {
    name: "codebuild-project-architecture-match",
    description:
        "CodeBuild projects must use a build image built for the CPU architecture of their environment type; with requireGraviton, an Arm type.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireGraviton: REQUIRE_GRAVITON_SCHEMA, exemptions: EXEMPTIONS_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<NodeGroupPolicyConfig>();
        for (const project of projectsOf(args)) {
            if (exemptionFor(config, project.name)) {
                continue;
            }
            const subject = `CodeBuild project "${project.name}"`;
            const verdict = codebuildProjectVerdict(project, args.resources);
            if (verdict.kind === "mismatch") {
                reportViolation(
                    violationMessage({
                        subject,
                        found: verdict.found,
                        required: "the build image must be built for the architecture of the environment type",
                        fix: `${verdict.fix}; ${EXEMPTION_HINT}`,
                    }),
                    project.urn,
                );
            }
            const environment = environmentOf(project, args.resources);
            if (requireGraviton(config) && environment.known && environment.arch === "x86_64") {
                reportViolation(
                    violationMessage({
                        subject,
                        found: runsOn(environment),
                        required: "requireGraviton is set, so every CodeBuild project must build on Arm (Graviton)",
                        fix: `${otherEnvironment(environment)} with an arm64 image (e.g. ${suggestedImage({ type: environment.type, arch: "arm64" })}); ${EXEMPTION_HINT}`,
                    }),
                    project.urn,
                );
            }
        }
    },
};

/** Advisory: a custom image or a fleet from outside the stack, an unlisted environment type; never a silent pass. */
export const codebuildProjectArchitectureUnknown: StackValidationPolicy = {
    name: "codebuild-project-architecture-unknown",
    description:
        "Reports CodeBuild projects whose build image or environment architecture cannot be verified (custom images, fleets outside the stack, values unknown at preview).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const project of projectsOf(args)) {
            const verdict = codebuildProjectVerdict(project, args.resources);
            if (verdict.kind === "unknown") {
                reportViolation(
                    violationMessage({
                        subject: `CodeBuild project "${project.name}"`,
                        found: `the architecture of its build cannot be verified: ${verdict.reason}`,
                        required:
                            "a Linux environment type (the project's, or its compute fleet's in this stack) and a CodeBuild curated image or a docker-build image of this stack, so codebuild-project-architecture-match can compare them",
                        fix: "use a curated image, or build the image in this stack with docker-build (platforms set); otherwise check by hand that the image is built for the environment type's architecture",
                    }),
                    project.urn,
                );
            }
        }
    },
};
