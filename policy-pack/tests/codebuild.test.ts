import * as assert from "node:assert/strict";
import { codebuildProjectArchitectureMatch, codebuildProjectArchitectureUnknown } from "../codebuild";
import {
    CODEBUILD_FLEET,
    CODEBUILD_PROJECT,
    DOCKER_BUILD_IMAGE,
    ECR_REPOSITORY,
    NATIVE_CODEBUILD_FLEET,
    NATIVE_CODEBUILD_PROJECT,
} from "../resourceTypes";
import { ResourceSnapshot, StackCase, UNKNOWN, resource, runStackPolicy } from "./args";

const REPOSITORY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/builder";
const ARM64 = `sha256:${"b".repeat(64)}`;
const AMD64 = `sha256:${"a".repeat(64)}`;
const REQUIRE = { requireGraviton: true };

// An Arm project on the curated aarch64 image, which passes both policies; each case changes one property.
const project = (
    environment: Record<string, unknown> = {},
    type = CODEBUILD_PROJECT,
    dependsOn: Record<string, ResourceSnapshot[]> = {},
) =>
    resource(
        type,
        "ci",
        {
            environment: {
                type: "ARM_CONTAINER",
                computeType: "BUILD_GENERAL1_SMALL",
                image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
                ...environment,
            },
        },
        dependsOn,
    );

// A docker-build builder image of the stack, for one platform.
const builder = (arch: "amd64" | "arm64", props: Record<string, unknown> = {}) =>
    resource(DOCKER_BUILD_IMAGE, `builder-${arch}`, {
        platforms: [`linux/${arch}`],
        digest: arch === "arm64" ? ARM64 : AMD64,
        ref: `${REPOSITORY}:1-${arch}@${arch === "arm64" ? ARM64 : AMD64}`,
        ...props,
    });

const FLEET_ARN = "arn:aws:codebuild:us-east-1:123456789012:fleet/builders:1";

// A compute fleet of the stack; its ARN is unknown in a first preview.
const fleet = (environmentType: string, props: Record<string, unknown> = {}, type = CODEBUILD_FLEET) =>
    resource(type, "builders", { arn: FLEET_ARN, environmentType, computeType: "BUILD_GENERAL1_SMALL", ...props });

const match = (testCase: StackCase) => runStackPolicy(codebuildProjectArchitectureMatch, testCase);
const unknown = (testCase: StackCase) => runStackPolicy(codebuildProjectArchitectureUnknown, testCase);

describe("policy codebuild-project-architecture-match", () => {
    it("passes curated images on the environment type of their architecture, for both tokens", async () => {
        const pairs: [string, string][] = [
            ["ARM_CONTAINER", "aws/codebuild/amazonlinux2-aarch64-standard:3.0"],
            ["LINUX_CONTAINER", "aws/codebuild/standard:7.0"],
            ["LINUX_CONTAINER", "aws/codebuild/amazonlinux-x86_64-standard:5.0"],
            ["ARM_LAMBDA_CONTAINER", "aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20"],
            ["LINUX_LAMBDA_CONTAINER", "aws/codebuild/amazonlinux-x86_64-lambda-standard:python3.12"],
        ];
        for (const type of [CODEBUILD_PROJECT, NATIVE_CODEBUILD_PROJECT]) {
            for (const [environmentType, image] of pairs) {
                const result = await match({ resources: [project({ type: environmentType, image }, type)] });
                assert.deepEqual(result.violations, [], `${type} ${environmentType} ${image}`);
                assert.deepEqual(
                    (await unknown({ resources: [project({ type: environmentType, image }, type)] })).violations,
                    [],
                );
            }
        }
    });

    it("rejects ARM_CONTAINER with the x86_64 standard image, naming both and the fix, for both tokens", async () => {
        for (const type of [CODEBUILD_PROJECT, NATIVE_CODEBUILD_PROJECT]) {
            const result = await match({ resources: [project({ image: "aws/codebuild/standard:7.0" }, type)] });
            assert.equal(result.violations.length, 1, type);
            assert.match(
                result.violations[0],
                /^CodeBuild project "ci": environment.type ARM_CONTAINER runs arm64, but its image aws\/codebuild\/standard:7.0 is built for x86_64\. Required: .*Fix: use an arm64 image \(e\.g\. aws\/codebuild\/amazonlinux-aarch64-standard:3\.0\) or set environment\.type to LINUX_CONTAINER/,
            );
            assert.match(result.violations[0], /add \{ resourceName, reason \}/);
            assert.equal(result.urns[0], project({}, type).urn);
        }
    });

    it("rejects an aarch64 Lambda image on LINUX_LAMBDA_CONTAINER, suggesting the x86_64 Lambda image", async () => {
        const result = await match({
            resources: [
                project({
                    type: "LINUX_LAMBDA_CONTAINER",
                    image: "aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20",
                }),
            ],
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /amazonlinux-x86_64-lambda-standard:<runtime>.*ARM_LAMBDA_CONTAINER/);
    });

    it("judges a docker-build image of the stack by its platforms, matched by its ref", async () => {
        const amd = await match({ resources: [builder("amd64"), project({ image: builder("amd64").props.ref })] });
        assert.equal(amd.violations.length, 1);
        assert.match(
            amd.violations[0],
            /docker-build Image "builder-amd64" \(linux\/amd64\), which has no linux\/arm64 image/,
        );
        const arm = await match({ resources: [builder("arm64"), project({ image: builder("arm64").props.ref })] });
        assert.deepEqual(arm.violations, []);
    });

    it("traces an image unknown in a first preview to the docker-build Image it came from", async () => {
        const image = builder("amd64", { digest: UNKNOWN.string, ref: UNKNOWN.string });
        const result = await match({
            resources: [image, project({ image: UNKNOWN.string }, CODEBUILD_PROJECT, { environment: [image] })],
        });
        assert.equal(result.violations.length, 1);
    });

    it("does not trust the trace when another value in environment is unknown too (an environment variable)", async () => {
        // First preview: the image comes from a new ECR repository, an environment variable from an amd64-only Image.
        const image = builder("amd64", { digest: UNKNOWN.string, ref: UNKNOWN.string });
        const repository = resource(ECR_REPOSITORY, "builder", { repositoryUrl: UNKNOWN.string });
        const stack = [
            image,
            repository,
            project(
                {
                    image: UNKNOWN.string,
                    environmentVariables: [{ name: "APP_IMAGE", value: UNKNOWN.string, type: "PLAINTEXT" }],
                },
                CODEBUILD_PROJECT,
                { environment: [repository, image] },
            ),
        ];
        assert.deepEqual((await match({ resources: stack })).violations, []);
        const advisory = await unknown({ resources: stack });
        assert.equal(advisory.violations.length, 1);
        assert.match(
            advisory.violations[0],
            /environment\.image is not known until the update runs, and environment\.environmentVariables\.0\.value is not known either/,
        );
    });

    it("judges a project on a compute fleet of the stack by the fleet's environmentType, for both fleet tokens", async () => {
        for (const type of [CODEBUILD_FLEET, NATIVE_CODEBUILD_FLEET]) {
            // The project's own type is ignored on a fleet: LINUX_CONTAINER here, ARM_EC2 on the fleet.
            const onFleet = (image: string) =>
                project({ type: "LINUX_CONTAINER", image, fleet: { fleetArn: FLEET_ARN } });
            const bad = await match({
                resources: [fleet("ARM_EC2", {}, type), onFleet("aws/codebuild/standard:7.0")],
            });
            assert.equal(bad.violations.length, 1, type);
            assert.match(
                bad.violations[0],
                /its compute fleet "builders" has environmentType ARM_EC2, which runs arm64, but its image aws\/codebuild\/standard:7\.0 is built for x86_64.*Fix: use an arm64 image .* or run it on a fleet whose environmentType is LINUX_EC2/,
            );
            const good = await match({
                resources: [fleet("ARM_EC2", {}, type), onFleet("aws/codebuild/amazonlinux-aarch64-standard:3.0")],
            });
            assert.deepEqual(good.violations, [], type);
            assert.deepEqual(
                (
                    await unknown({
                        resources: [
                            fleet("ARM_EC2", {}, type),
                            onFleet("aws/codebuild/amazonlinux-aarch64-standard:3.0"),
                        ],
                    })
                ).violations,
                [],
            );
        }
    });

    it("traces a fleet ARN unknown in a first preview to the fleet of the stack", async () => {
        const planned = fleet("LINUX_EC2", { arn: UNKNOWN.string });
        const result = await match({
            resources: [
                planned,
                project({ fleet: { fleetArn: UNKNOWN.string } }, CODEBUILD_PROJECT, { environment: [planned] }),
            ],
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /fleet "builders" has environmentType LINUX_EC2, which runs x86_64/);
    });

    it("with requireGraviton, rejects a project on an x86_64 fleet of the stack and passes an Arm one", async () => {
        const onFleet = project({
            type: "ARM_CONTAINER",
            image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            fleet: { fleetArn: FLEET_ARN },
        });
        const x86 = await match({ resources: [fleet("LINUX_EC2"), onFleet], config: REQUIRE });
        assert.equal(x86.violations.length, 1);
        assert.match(
            x86.violations[0],
            /fleet "builders" has environmentType LINUX_EC2, which runs x86_64\. Required: requireGraviton is set.*Fix: run it on a fleet whose environmentType is ARM_EC2/,
        );
        const arm = await match({
            resources: [fleet("ARM_CONTAINER"), project({ type: "LINUX_CONTAINER", fleet: { fleetArn: FLEET_ARN } })],
            config: REQUIRE,
        });
        assert.deepEqual(arm.violations, []);
    });

    it("with requireGraviton, rejects an x86_64 environment type and passes an Arm one", async () => {
        const x86 = await match({
            resources: [project({ type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0" })],
            config: REQUIRE,
        });
        assert.equal(x86.violations.length, 1);
        assert.match(
            x86.violations[0],
            /environment.type LINUX_CONTAINER runs x86_64\. Required: requireGraviton is set.*Fix: set environment.type to ARM_CONTAINER/,
        );
        assert.deepEqual((await match({ resources: [project()], config: REQUIRE })).violations, []);
    });

    it("with requireGraviton, rejects an x86_64 type even when the image is a custom one", async () => {
        const result = await match({
            resources: [project({ type: "LINUX_CONTAINER", image: `${REPOSITORY}:latest` })],
            config: REQUIRE,
        });
        assert.equal(result.violations.length, 1);
    });

    it("never blocks what it cannot know: custom images, fleets, unlisted types", async () => {
        for (const environment of [
            { image: `${REPOSITORY}:latest` },
            { image: "aws/codebuild/standard:7.0", fleet: { fleetArn: "arn:aws:codebuild:us-east-1:1:fleet/f" } },
            { type: "LINUX_GPU_CONTAINER", image: "aws/codebuild/amazonlinux-aarch64-standard:3.0" },
            { image: "aws/codebuild/windows-base:2019-3.0" },
        ]) {
            assert.deepEqual(
                (await match({ resources: [project(environment)] })).violations,
                [],
                JSON.stringify(environment),
            );
        }
    });

    it("skips an exempted project", async () => {
        const result = await match({
            resources: [project({ image: "aws/codebuild/standard:7.0" })],
            config: { exemptions: [{ resourceName: "ci", reason: "legacy x86 toolchain" }] },
        });
        assert.deepEqual(result.violations, []);
    });

    it("is not applicable to a stack without CodeBuild projects", async () => {
        assert.equal((await match({ resources: [builder("arm64")] })).notApplicable, true);
    });
});

describe("policy codebuild-project-architecture-unknown", () => {
    it("reports a custom image from outside the stack, saying what it found and how to fix it", async () => {
        const result = await unknown({ resources: [project({ image: `${REPOSITORY}:latest` })] });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^CodeBuild project "ci": the architecture of its build cannot be verified: environment.image ".*builder:latest" is neither a CodeBuild curated image nor built by a docker-build Image or Index of this stack\. Required: .* Fix: use a curated image/,
        );
    });

    it("reports a fleet, an environment type without a documented architecture, and an unlisted CodeBuild image", async () => {
        for (const [environment, reason] of [
            [
                { fleet: { fleetArn: "arn:aws:codebuild:us-east-1:1:fleet/f" } },
                /compute fleet .*, not a fleet of this stack/,
            ],
            [{ type: "WINDOWS_SERVER_2019_CONTAINER" }, /"WINDOWS_SERVER_2019_CONTAINER" is not a Linux type/],
            [{ image: "aws/codebuild/windows-base:2019-3.0" }, /no architecture in the pack's table/],
        ] as const) {
            const result = await unknown({ resources: [project(environment)] });
            assert.equal(result.violations.length, 1, JSON.stringify(environment));
            assert.match(result.violations[0], reason);
        }
    });

    it("reports a fleet of the stack whose environmentType has no documented architecture, and an unknown fleet ARN beside an unknown image", async () => {
        const gpu = await unknown({
            resources: [fleet("LINUX_GPU_CONTAINER"), project({ fleet: { fleetArn: FLEET_ARN } })],
        });
        assert.equal(gpu.violations.length, 1);
        assert.match(gpu.violations[0], /fleet "builders" has environmentType "LINUX_GPU_CONTAINER", not a Linux type/);
        const planned = fleet("LINUX_EC2", { arn: UNKNOWN.string });
        const image = builder("arm64", { digest: UNKNOWN.string, ref: UNKNOWN.string });
        const both = [
            planned,
            image,
            project({ image: UNKNOWN.string, fleet: { fleetArn: UNKNOWN.string } }, CODEBUILD_PROJECT, {
                environment: [planned, image],
            }),
        ];
        assert.deepEqual((await match({ resources: both, config: REQUIRE })).violations, []);
        const result = await unknown({ resources: both });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /environment\.fleet is not known .* environment\.image is not known either/);
    });

    it("reports an image unknown in a first preview that comes from no docker-build image", async () => {
        const result = await unknown({ resources: [project({ image: UNKNOWN.string })] });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /not known until the update runs/);
    });

    it("reports a docker-build image without platforms, and stays silent on a known conflict", async () => {
        const noPlatforms = builder("arm64", { platforms: [] });
        const silent = await unknown({ resources: [noPlatforms, project({ image: noPlatforms.props.ref })] });
        assert.equal(silent.violations.length, 1);
        const conflict = await unknown({ resources: [project({ image: "aws/codebuild/standard:7.0" })] });
        assert.deepEqual(conflict.violations, []);
    });
});
