// The CodeBuild policies as the Pulumi CLI runs them (harness/policyAnalyzer/): each rule in the shape of a first
// preview (the service role and an in-stack image's ref or fleet's ARN unknown, traced through property dependencies) and
// of an update (every value known), for the aws and the aws-native token.

import * as assert from "node:assert/strict";
import { packConfig } from "../policies";
import {
    AnalysisResult,
    EngineResource,
    PackConfigFile,
    PolicyPackSession,
    UNKNOWN,
} from "../../harness/policyAnalyzer";
import { projectName } from "../../tests/harness";
import { engineResource, urn } from "./engine";
import { packSession } from "./sessions";

const PROJECT = "aws:codebuild/project:Project";
const NATIVE_PROJECT = "aws-native:codebuild:Project";
const IMAGE = "docker-build:index:Image";
const ROLE = "aws:iam/role:Role";
const FLEETS = ["aws:codebuild/fleet:Fleet", "aws-native:codebuild:Fleet"];
const REPOSITORY = "aws:ecr/repository:Repository";
const FLEET_ARN = "arn:aws:codebuild:us-east-1:123456789012:fleet/builders:1";
const MATCH = "codebuild-project-architecture-match";
const UNKNOWN_POLICY = "codebuild-project-architecture-unknown";
const REPO_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/builder";
const DIGEST = { amd64: `sha256:${"a".repeat(64)}`, arm64: `sha256:${"b".repeat(64)}` };

type Shape = "preview" | "update";

/** A project with `environment`; in a first preview its role comes from a resource not created yet. */
function project(shape: Shape, environment: Record<string, unknown>, type = PROJECT, imageFrom: string[] = []) {
    const role = urn(ROLE, "ci-role");
    return engineResource(
        type,
        "ci",
        {
            serviceRole: shape === "preview" ? UNKNOWN : "arn:aws:iam::123456789012:role/ci",
            source: { type: "GITHUB", location: "https://github.com/example/app.git" },
            artifacts: { type: "NO_ARTIFACTS" },
            environment: { computeType: "BUILD_GENERAL1_SMALL", ...environment },
        },
        { serviceRole: [role], ...(imageFrom.length > 0 ? { environment: imageFrom } : {}) },
    );
}

/** A docker-build builder image for one platform, whose ref is unknown in a first preview. */
function builder(shape: Shape, arch: "amd64" | "arm64"): EngineResource {
    const ref = `${REPO_URL}:1-${arch}@${DIGEST[arch]}`;
    return engineResource(IMAGE, `builder-${arch}`, {
        push: true,
        platforms: [`linux/${arch}`],
        digest: shape === "update" ? DIGEST[arch] : UNKNOWN,
        ref: shape === "update" ? ref : UNKNOWN,
    });
}

/** A project whose image is the builder: its ref in an update, an unknown traced to the builder in a preview. */
function builtProject(shape: Shape, arch: "amd64" | "arm64", type = PROJECT): EngineResource {
    const image = shape === "update" ? `${REPO_URL}:1-${arch}@${DIGEST[arch]}` : UNKNOWN;
    return project(shape, { type: "ARM_CONTAINER", image }, type, [urn(IMAGE, `builder-${arch}`)]);
}

/** A compute fleet of the stack, whose ARN is unknown in a first preview. */
function fleet(shape: Shape, type: string, environmentType: string): EngineResource {
    return engineResource(type, "builders", {
        arn: shape === "update" ? FLEET_ARN : UNKNOWN,
        environmentType,
        computeType: "BUILD_GENERAL1_SMALL",
        baseCapacity: 1,
    });
}

/** A project on the fleet (the ARN traced through `environment` in a preview); its own type is ignored. */
function fleetProject(shape: Shape, fleetType: string, image: string): EngineResource {
    return project(
        shape,
        { type: "LINUX_CONTAINER", image, fleet: { fleetArn: shape === "update" ? FLEET_ARN : UNKNOWN } },
        PROJECT,
        [urn(fleetType, "builders")],
    );
}

const ours = (result: AnalysisResult, policy: string) =>
    result.diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
const levels = (result: AnalysisResult, policy: string) => ours(result, policy).map((d) => d.enforcementLevel);

describe("CodeBuild policies over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    const sessions = {} as Record<Shape | "graviton-preview" | "graviton-update", PolicyPackSession>;

    before(async () => {
        const context = { project: projectName, stack: "dev" };
        const graviton = { config: packConfig({ requireGraviton: true }) as PackConfigFile };
        [sessions.preview, sessions.update, sessions["graviton-preview"], sessions["graviton-update"]] =
            await Promise.all([
                packSession({ ...context, dryRun: true }),
                packSession({ ...context, dryRun: false }),
                packSession({ ...context, dryRun: true }, graviton),
                packSession({ ...context, dryRun: false }, graviton),
            ]);
    });

    for (const shape of ["preview", "update"] as const) {
        describe(`as ${shape === "preview" ? "a first preview" : "an update"}`, () => {
            it("blocks ARM_CONTAINER with the x86_64 standard image and passes the aarch64 one, for both tokens", async () => {
                for (const type of [PROJECT, NATIVE_PROJECT]) {
                    const bad = await sessions[shape].analyzeStack([
                        project(shape, { type: "ARM_CONTAINER", image: "aws/codebuild/standard:7.0" }, type),
                    ]);
                    const [violation, ...others] = ours(bad, MATCH);
                    assert.deepEqual(others, [], type);
                    assert.equal(violation?.enforcementLevel, "mandatory", type);
                    assert.match(
                        violation.message,
                        /ARM_CONTAINER runs arm64, but its image aws\/codebuild\/standard:7\.0/,
                    );
                    assert.match(violation.urn ?? "", /::ci$/);
                    const good = await sessions[shape].analyzeStack([
                        project(
                            shape,
                            { type: "ARM_CONTAINER", image: "aws/codebuild/amazonlinux-aarch64-standard:3.0" },
                            type,
                        ),
                    ]);
                    assert.deepEqual(good.diagnostics, [], type);
                }
            });

            it("judges an in-stack docker-build image by its platforms, for both tokens", async () => {
                for (const type of [PROJECT, NATIVE_PROJECT]) {
                    const bad = await sessions[shape].analyzeStack([
                        builder(shape, "amd64"),
                        builtProject(shape, "amd64", type),
                    ]);
                    assert.deepEqual(levels(bad, MATCH), ["mandatory"], type);
                    assert.match(ours(bad, MATCH)[0].message, /docker-build Image "builder-amd64" \(linux\/amd64\)/);
                    const good = await sessions[shape].analyzeStack([
                        builder(shape, "arm64"),
                        builtProject(shape, "arm64", type),
                    ]);
                    assert.deepEqual(good.diagnostics, [], type);
                }
            });

            it("judges a project on a compute fleet of the stack by the fleet's environmentType, for both fleet tokens", async () => {
                for (const type of FLEETS) {
                    const bad = await sessions[shape].analyzeStack([
                        fleet(shape, type, "ARM_EC2"),
                        fleetProject(shape, type, "aws/codebuild/standard:7.0"),
                    ]);
                    assert.deepEqual(levels(bad, MATCH), ["mandatory"], type);
                    assert.match(ours(bad, MATCH)[0].message, /compute fleet "builders" has environmentType ARM_EC2/);
                    const good = await sessions[shape].analyzeStack([
                        fleet(shape, type, "ARM_EC2"),
                        fleetProject(shape, type, "aws/codebuild/amazonlinux-aarch64-standard:3.0"),
                    ]);
                    assert.deepEqual(good.diagnostics, [], type);
                }
            });

            it("with requireGraviton, blocks a project on an x86_64 fleet of the stack, for both fleet tokens", async () => {
                for (const type of FLEETS) {
                    const result = await sessions[`graviton-${shape}`].analyzeStack([
                        fleet(shape, type, "LINUX_EC2"),
                        fleetProject(shape, type, "aws/codebuild/amazonlinux-x86_64-standard:5.0"),
                    ]);
                    assert.deepEqual(levels(result, MATCH), ["mandatory"], type);
                    assert.match(
                        ours(result, MATCH)[0].message,
                        /LINUX_EC2, which runs x86_64.*requireGraviton is set/,
                    );
                }
            });

            it("a project on a fleet from outside the stack is advisory, also with requireGraviton", async () => {
                const result = await sessions[`graviton-${shape}`].analyzeStack([
                    project(shape, {
                        type: "LINUX_CONTAINER",
                        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                        fleet: { fleetArn: "arn:aws:codebuild:us-east-1:123456789012:fleet/shared:1" },
                    }),
                ]);
                assert.deepEqual(levels(result, MATCH), []);
                assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"]);
            });

            it("a custom image from outside the stack is advisory, never mandatory", async () => {
                const result = await sessions[shape].analyzeStack([
                    project(shape, { type: "ARM_CONTAINER", image: "public.ecr.aws/example/builder:latest" }),
                ]);
                assert.deepEqual(levels(result, MATCH), []);
                assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"]);
            });

            it("with requireGraviton, blocks an x86_64 environment type and passes an Arm project, for both tokens", async () => {
                const graviton = sessions[`graviton-${shape}`];
                for (const type of [PROJECT, NATIVE_PROJECT]) {
                    const x86 = await graviton.analyzeStack([
                        project(shape, { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0" }, type),
                    ]);
                    assert.deepEqual(levels(x86, MATCH), ["mandatory"], type);
                    assert.match(ours(x86, MATCH)[0].message, /requireGraviton is set/);
                    const arm = await graviton.analyzeStack([
                        project(
                            shape,
                            {
                                type: "ARM_LAMBDA_CONTAINER",
                                image: "aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20",
                            },
                            type,
                        ),
                    ]);
                    assert.deepEqual(arm.diagnostics, [], type);
                }
            });
        });
    }

    it("in a first preview, an amd64 docker-build ref in an environment variable beside an unknown image is advisory", async () => {
        for (const type of [PROJECT, NATIVE_PROJECT]) {
            const result = await sessions.preview.analyzeStack([
                builder("preview", "amd64"),
                engineResource(REPOSITORY, "builder", { repositoryUrl: UNKNOWN }),
                project(
                    "preview",
                    {
                        type: "ARM_CONTAINER",
                        image: UNKNOWN,
                        environmentVariables: [{ name: "APP_IMAGE", value: UNKNOWN, type: "PLAINTEXT" }],
                    },
                    type,
                    [urn(REPOSITORY, "builder"), urn(IMAGE, "builder-amd64")],
                ),
            ]);
            assert.deepEqual(levels(result, MATCH), [], type);
            assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"], type);
            assert.match(ours(result, UNKNOWN_POLICY)[0].message, /environmentVariables\.0\.value is not known either/);
        }
    });

    it("in a first preview, an image from another resource that no docker-build built is advisory", async () => {
        const result = await sessions.preview.analyzeStack([
            project("preview", { type: "ARM_CONTAINER", image: UNKNOWN }, PROJECT, [
                urn("aws:ecr/repository:Repository", "builder"),
            ]),
        ]);
        assert.deepEqual(levels(result, MATCH), []);
        assert.deepEqual(levels(result, UNKNOWN_POLICY), ["advisory"]);
        assert.match(ours(result, UNKNOWN_POLICY)[0].message, /not known until the update runs/);
    });
});
