import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { Copy, Env } from "dockerfile-ast";

import { createAppServer } from "../app/src/server";
import { DockerStage, globalArgDefaults, parseStages, runsInTargetStage } from "./dockerfileStages";

const APP_DIR = path.join(__dirname, "..", "app");
const dockerfileText = fs.readFileSync(path.join(APP_DIR, "Dockerfile"), "utf8");
const stages = parseStages(dockerfileText);
const finalStage = stages[stages.length - 1];

/** Stages whose base is an external image rather than an earlier stage. */
const externalStages = stages.filter((stage) => stage.parentStage === null);

function finalEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const instruction of finalStage.instructions) {
        if (instruction.getKeyword() === "ENV") {
            for (const property of (instruction as Env).getProperties()) {
                env.set(property.getName(), property.getValue() ?? "");
            }
        }
    }
    return env;
}

function keywordsOf(stage: DockerStage): string[] {
    return stage.instructions.map((instruction) => instruction.getKeyword());
}

describe("runsInTargetStage", () => {
    it("finds no RUN outside $BUILDPLATFORM stages in app/Dockerfile", () => {
        assert.deepStrictEqual(runsInTargetStage(dockerfileText), []);
    });

    it("reports a RUN in a stage without --platform", () => {
        const naive = [
            "FROM node:22.22.0-bookworm-slim",
            "WORKDIR /app",
            "COPY . .",
            "RUN npm ci",
            'CMD ["node", "main.js"]',
        ].join("\n");
        const offenders = runsInTargetStage(naive);
        assert.strictEqual(offenders.length, 1);
        assert.match(offenders[0], /^line 4: RUN npm ci /);
    });

    it("reports a RUN in a stage pinned to a fixed platform", () => {
        const fixed = ["FROM --platform=linux/amd64 node:22 AS build", "RUN npm run build"].join("\n");
        assert.strictEqual(runsInTargetStage(fixed).length, 1);
    });

    it("accepts ${BUILDPLATFORM} written with braces and a lower-case keyword", () => {
        const braces = ["from --platform=${BUILDPLATFORM} node:22 as build", "run npm ci"].join("\n");
        assert.deepStrictEqual(runsInTargetStage(braces), []);
    });

    it("lets a stage FROM a $BUILDPLATFORM stage inherit its platform", () => {
        const chained = [
            "FROM --platform=$BUILDPLATFORM node:22 AS deps",
            "RUN npm ci",
            "FROM deps AS build",
            "RUN npm run build",
            "FROM node:22",
            "COPY --from=build /src/dist ./dist",
        ].join("\n");
        assert.deepStrictEqual(runsInTargetStage(chained), []);
    });

    it("reports a RUN in a stage FROM a target-platform stage, resolved through an ARG", () => {
        const chained = [
            "ARG BASE_STAGE=base",
            "FROM node:22 AS base",
            "FROM ${BASE_STAGE} AS tools",
            "RUN apt-get update",
        ].join("\n");
        const offenders = runsInTargetStage(chained);
        assert.strictEqual(offenders.length, 1);
        assert.match(offenders[0], /^line 4: RUN apt-get update \(stage "tools"/);
    });

    it("reports every RUN of a multi-stage file whose final stage also builds", () => {
        const mixed = [
            "FROM --platform=$BUILDPLATFORM node:22 AS build",
            "RUN npm ci && npm run build",
            "FROM node:22 AS runtime",
            "RUN npm ci --omit=dev",
            "RUN chown -R node /app",
        ].join("\n");
        assert.deepStrictEqual(
            runsInTargetStage(mixed).map((line) => line.split(":")[0]),
            ["line 4", "line 5"],
        );
    });
});

describe("app/Dockerfile", () => {
    it("compiles in a $BUILDPLATFORM stage with npm ci and npm run build", () => {
        const build = stages.find((stage) => stage.name === "build");
        assert.ok(build, "expected a stage named build");
        assert.strictEqual(build.onBuildPlatform, true);
        const runs = build.instructions
            .filter((i) => i.getKeyword() === "RUN")
            .map((i) => i.getArgumentsContent() ?? "");
        assert.ok(
            runs.some((run) => /\bnpm ci\b/.test(run)),
            `RUN lines: ${runs.join(" | ")}`,
        );
        assert.ok(
            runs.some((run) => /\bnpm run build\b/.test(run)),
            `RUN lines: ${runs.join(" | ")}`,
        );
    });

    it("final stage targets the requested platform and only copies", () => {
        assert.strictEqual(finalStage.platformFlag, null);
        assert.strictEqual(finalStage.onBuildPlatform, false);
        assert.ok(!keywordsOf(finalStage).includes("RUN"), "final stage must not RUN anything");
        assert.ok(!keywordsOf(finalStage).includes("ADD"), "final stage should COPY, not ADD");
    });

    it("pulls every base image from ECR Public through an overridable, version-pinned ARG", () => {
        const args = globalArgDefaults(dockerfileText);
        assert.ok(externalStages.length >= 2);
        for (const stage of externalStages) {
            const argName = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(stage.image)?.[1];
            assert.ok(argName, `line ${stage.line}: FROM ${stage.image} should be a build ARG so it can be overridden`);
            assert.ok(
                args.has(argName),
                `line ${stage.line}: ${argName} needs a default declared before the first FROM`,
            );

            const image = stage.resolvedImage;
            assert.ok(image.startsWith("public.ecr.aws/"), `line ${stage.line}: ${image} is not from public.ecr.aws`);
            const tag = /:([^/:@]+)$/.exec(image)?.[1];
            assert.ok(tag, `line ${stage.line}: ${image} has no explicit tag`);
            assert.notStrictEqual(tag, "latest", `line ${stage.line}: ${image} uses latest`);
            assert.match(tag, /^v?\d+\.\d+\.\d+/, `line ${stage.line}: ${image} should pin a full version`);
        }
    });

    it("runs as a non-root user", () => {
        const users = finalStage.instructions.filter((i) => i.getKeyword() === "USER");
        assert.ok(users.length > 0, "final stage needs a USER instruction");
        const user = (users[users.length - 1].getArgumentsContent() ?? "").split(":")[0].trim();
        assert.ok(user !== "" && user !== "root" && user !== "0", `USER ${user} is root`);
    });

    it("copies the Lambda Web Adapter for the target architecture into /opt/extensions", () => {
        const adapterStage = stages.find((stage) => stage.name === "lambda-adapter");
        assert.ok(adapterStage, "expected a stage named lambda-adapter");
        // A --platform here would put one architecture's binary into every image.
        assert.strictEqual(adapterStage.platformFlag, null);
        assert.match(adapterStage.resolvedImage, /^public\.ecr\.aws\/awsguru\/aws-lambda-adapter:\d+\.\d+\.\d+$/);

        const copies = finalStage.instructions
            .filter((i) => i.getKeyword() === "COPY")
            .map((i) => ({
                from: (i as Copy).getFromFlag()?.getValue(),
                args: i.getArguments().map((a) => a.getValue()),
            }));
        assert.ok(
            copies.some(
                (c) =>
                    c.from === "lambda-adapter" &&
                    c.args[0] === "/lambda-adapter" &&
                    c.args[c.args.length - 1] === "/opt/extensions/lambda-adapter",
            ),
            `COPY instructions: ${JSON.stringify(copies)}`,
        );
    });

    it("points PORT and the adapter at port 8080 and exposes it", () => {
        const env = finalEnv();
        assert.strictEqual(env.get("PORT"), "8080");
        assert.strictEqual(env.get("AWS_LWA_PORT"), env.get("PORT"));
        const exposed = finalStage.instructions
            .filter((i) => i.getKeyword() === "EXPOSE")
            .map((i) => i.getArgumentsContent());
        assert.deepStrictEqual(exposed, ["8080"]);
    });

    it("has the adapter wait on a readiness path the app answers with 200", async () => {
        const readinessPath = finalEnv().get("AWS_LWA_READINESS_CHECK_PATH");
        assert.strictEqual(readinessPath, "/healthz");
        const server = createAppServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = server.address() as AddressInfo;
            const status = await new Promise<number | undefined>((resolve, reject) => {
                http.get({ host: "127.0.0.1", port, path: readinessPath, agent: false }, (res) => {
                    res.resume();
                    resolve(res.statusCode);
                }).on("error", reject);
            });
            assert.strictEqual(status, 200);
        } finally {
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    });

    it("starts the compiled entry point of app/src/main.ts", () => {
        const cmds = finalStage.instructions.filter((i) => i.getKeyword() === "CMD");
        assert.strictEqual(cmds.length, 1);
        assert.deepStrictEqual(JSON.parse(cmds[0].getArgumentsContent() ?? ""), ["node", "dist/main.js"]);
        // tsconfig maps src/ to dist/, so dist/main.js exists only if src/main.ts does.
        assert.ok(fs.existsSync(path.join(APP_DIR, "src", "main.ts")));
    });

    it("keeps node_modules and dist out of the build context", () => {
        const ignored = fs
            .readFileSync(path.join(APP_DIR, ".dockerignore"), "utf8")
            .split("\n")
            .map((line) => line.trim());
        assert.ok(ignored.includes("node_modules"));
        assert.ok(ignored.includes("dist"));
    });
});
