/**
 * After a real deploy, checks the architecture guarantee against the AWS account:
 *
 *   npm run verify -- --stack <name>          (reads `pulumi stack output --json`)
 *   npm run verify -- --outputs <file.json>   (the same JSON, saved earlier)
 *
 * - the index in ECR lists exactly linux/amd64 and linux/arm64, each child's config
 *   says the same, and amd64Ref/arm64Ref are exactly those children;
 * - the Lambda function is arm64 and runs the arm64 child;
 * - each ECS service's running tasks are on the expected CPU architecture;
 * - App Runner (when deployed) runs the amd64 child.
 *
 * Prints one row per check and exits 1 when any fails. Every check is a function that
 * takes its clients (or an HTTP getter) as arguments, so tests run them against mocks
 * and the image suite runs the registry part against a local registry.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";

import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand } from "@aws-sdk/client-apprunner";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import {
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListTasksCommand,
    TaskDefinition,
} from "@aws-sdk/client-ecs";
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";

// ---------------------------------------------------------------------------------
// Results

export interface Check {
    name: string;
    ok: boolean;
    detail: string;
}

function pass(name: string, detail: string): Check {
    return { name, ok: true, detail };
}

function fail(name: string, detail: string): Check {
    return { name, ok: false, detail };
}

/** A fixed-width table: result, check, detail. */
export function formatTable(checks: readonly Check[]): string {
    const nameWidth = Math.max("check".length, ...checks.map((check) => check.name.length));
    const lines = [
        `${"result".padEnd(6)}  ${"check".padEnd(nameWidth)}  detail`,
        `${"-".repeat(6)}  ${"-".repeat(nameWidth)}  ${"-".repeat(6)}`,
    ];
    for (const check of checks) {
        lines.push(`${(check.ok ? "PASS" : "FAIL").padEnd(6)}  ${check.name.padEnd(nameWidth)}  ${check.detail}`);
    }
    return lines.join("\n");
}

// ---------------------------------------------------------------------------------
// Stack outputs (index.ts)

export interface StackOutputs {
    region: string;
    repositoryUrl: string;
    imageTag: string;
    indexRef: string;
    amd64Ref: string;
    arm64Ref: string;
    lambdaFunctionName: string;
    clusterName: string;
    serviceNames: { x86: string; arm64: string };
    /** Absent when the stack has App Runner switched off. */
    appRunnerUrl?: string;
}

/** Validates `pulumi stack output --json`; every error names the missing or wrong output. */
export function parseStackOutputs(raw: unknown): StackOutputs {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new Error("stack outputs must be a JSON object (pulumi stack output --json)");
    }
    const record = raw as Record<string, unknown>;
    const text = (key: string): string => {
        const value = record[key];
        if (typeof value !== "string" || value === "") {
            throw new Error(`stack output "${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
        }
        return value;
    };
    const services = record.serviceNames;
    if (typeof services !== "object" || services === null) {
        throw new Error(`stack output "serviceNames" must be an object {x86, arm64}, got ${JSON.stringify(services)}`);
    }
    const serviceRecord = services as Record<string, unknown>;
    const serviceName = (key: "x86" | "arm64"): string => {
        const value = serviceRecord[key];
        if (typeof value !== "string" || value === "") {
            throw new Error(
                `stack output "serviceNames.${key}" must be a non-empty string, got ${JSON.stringify(value)}`,
            );
        }
        return value;
    };
    const appRunnerUrl = record.appRunnerUrl;
    if (appRunnerUrl !== undefined && appRunnerUrl !== null && typeof appRunnerUrl !== "string") {
        throw new Error(
            `stack output "appRunnerUrl" must be a string when present, got ${JSON.stringify(appRunnerUrl)}`,
        );
    }
    return {
        region: text("region"),
        repositoryUrl: text("repositoryUrl"),
        imageTag: text("imageTag"),
        indexRef: text("indexRef"),
        amd64Ref: text("amd64Ref"),
        arm64Ref: text("arm64Ref"),
        lambdaFunctionName: text("lambdaFunctionName"),
        clusterName: text("clusterName"),
        serviceNames: { x86: serviceName("x86"), arm64: serviceName("arm64") },
        appRunnerUrl: typeof appRunnerUrl === "string" && appRunnerUrl !== "" ? appRunnerUrl : undefined,
    };
}

export type RunCommand = (
    command: string,
    args: readonly string[],
) => { status: number | null; stdout: string; stderr: string; error?: Error };

const runCommand: RunCommand = (command, args) => {
    const result = spawnSync(command, [...args], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error };
};

export function readStackOutputs(stack: string, exec: RunCommand = runCommand): StackOutputs {
    const result = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(
            "pulumi CLI not found on PATH: install it, or pass --outputs <file.json> saved from `pulumi stack output --json`",
        );
    }
    if (result.status !== 0) {
        throw new Error(
            `pulumi stack output --json --stack ${stack} failed (exit ${result.status}):\n${result.stderr.trim()}`,
        );
    }
    return parseStackOutputs(JSON.parse(result.stdout));
}

// ---------------------------------------------------------------------------------
// Image references and the registry HTTP API (OCI distribution spec; ECR speaks it)

export interface ImageRef {
    /** Registry host, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `127.0.0.1:5000`. */
    registry: string;
    repository: string;
    /** `sha256:...` when pinned by digest. */
    digest?: string;
    tag?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function parseImageRef(ref: string): ImageRef {
    const slash = ref.indexOf("/");
    if (slash <= 0) {
        throw new Error(`image reference "${ref}" has no registry host`);
    }
    const registry = ref.slice(0, slash);
    let rest = ref.slice(slash + 1);
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) {
            throw new Error(`image reference "${ref}" has a malformed digest "${digest}"`);
        }
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    if (rest === "") {
        throw new Error(`image reference "${ref}" has no repository`);
    }
    return { registry, repository: rest, digest, tag };
}

export interface HttpResponse {
    status: number;
    headers: { get(name: string): string | null };
    arrayBuffer(): Promise<ArrayBuffer>;
}

/** GET with headers and no automatic redirects; the registry client handles them itself. */
export type HttpGet = (url: string, headers: Record<string, string>) => Promise<HttpResponse>;

export const fetchGet: HttpGet = (url, headers) => fetch(url, { headers, redirect: "manual" });

export interface RegistryEndpoint {
    /** `https://<host>` for ECR, `http://127.0.0.1:<port>` for a local test registry. */
    baseUrl: string;
    /** Authorization header value, e.g. `Basic <ECR token>`; none for an open registry. */
    authorization?: string;
}

export const INDEX_MEDIA_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
export const IMAGE_MEDIA_TYPES = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/**
 * GETs a registry path, following redirects by hand: ECR answers blob requests with a
 * redirect to S3, which must not receive the registry's Authorization header.
 */
export async function registryGet(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    path: string,
    accept: readonly string[],
): Promise<Buffer> {
    let url = `${endpoint.baseUrl}${path}`;
    const origin = new URL(url).origin;
    for (let hop = 0; hop < 5; hop++) {
        const headers: Record<string, string> = { Accept: accept.join(", ") };
        if (endpoint.authorization && new URL(url).origin === origin) {
            headers.Authorization = endpoint.authorization;
        }
        const response = await get(url, headers);
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
            url = new URL(location, url).toString();
            continue;
        }
        if (response.status !== 200) {
            const hint =
                response.status === 401 || response.status === 403
                    ? " (registry credentials missing or not allowed)"
                    : "";
            throw new Error(`GET ${url} answered ${response.status}${hint}`);
        }
        return Buffer.from(await response.arrayBuffer());
    }
    throw new Error(`GET ${endpoint.baseUrl}${path}: too many redirects`);
}

function sha256(bytes: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;
}

interface Descriptor {
    mediaType?: string;
    digest: string;
    platform?: { os?: string; architecture?: string; variant?: string };
    annotations?: Record<string, string>;
}

interface ManifestDocument {
    mediaType?: string;
    manifests?: Descriptor[];
    config?: Descriptor;
}

interface ConfigDocument {
    os?: string;
    architecture?: string;
}

function parseJson<T>(bytes: Buffer, what: string): T {
    try {
        return JSON.parse(bytes.toString("utf8")) as T;
    } catch {
        throw new Error(`${what} is not JSON`);
    }
}

/** The platforms an image of this project must be built for, in the index's naming. */
export const EXPECTED_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
export type ExpectedPlatform = (typeof EXPECTED_PLATFORMS)[number];

export interface IndexExpectation {
    /** Digests the stack hands out for each platform (amd64Ref/arm64Ref); checked when given. */
    childDigests?: Partial<Record<ExpectedPlatform, string>>;
}

export interface IndexReport {
    checks: Check[];
    /** The index's child digest per platform, when the index could be read. */
    children: Partial<Record<ExpectedPlatform, string>>;
}

function platformOf(descriptor: Descriptor): string {
    const platform = descriptor.platform ?? {};
    return [platform.os ?? "?", platform.architecture ?? "?", ...(platform.variant ? [platform.variant] : [])].join(
        "/",
    );
}

/**
 * Reads the index `reference` (a tag or digest) of `repository` and checks: it is an
 * index; it lists exactly linux/amd64 and linux/arm64; each child's config blob says the
 * same os/architecture; and, when given, the stack's per-platform digests are exactly
 * the children. A buildx attestation entry would also be reported as an extra platform:
 * this project's images must not carry one, since Lambda cannot pull such an index
 * (docs/platform-facts.md, "AWS Lambda").
 */
export async function checkImageIndex(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    repository: string,
    reference: string,
    expectation: IndexExpectation = {},
): Promise<IndexReport> {
    const checks: Check[] = [];
    const children: Partial<Record<ExpectedPlatform, string>> = {};
    const indexName = `index ${repository}:${reference.startsWith("sha256:") ? reference.slice(7, 19) : reference}`;
    let indexBytes: Buffer;
    try {
        indexBytes = await registryGet(get, endpoint, `/v2/${repository}/manifests/${reference}`, [
            ...INDEX_MEDIA_TYPES,
            ...IMAGE_MEDIA_TYPES,
        ]);
    } catch (err) {
        checks.push(fail(`${indexName} readable`, (err as Error).message));
        return { checks, children };
    }
    if (reference.startsWith("sha256:") && sha256(indexBytes) !== reference) {
        checks.push(fail(`${indexName} digest`, `content hashes to ${sha256(indexBytes)}, not ${reference}`));
        return { checks, children };
    }
    const index = parseJson<ManifestDocument>(indexBytes, `${indexName}`);
    if (!index.mediaType || !INDEX_MEDIA_TYPES.includes(index.mediaType) || !Array.isArray(index.manifests)) {
        checks.push(
            fail(
                `${indexName} is an image index`,
                `media type ${index.mediaType ?? "(none)"}: a single-platform image, not an index`,
            ),
        );
        return { checks, children };
    }
    const listed = index.manifests.map(platformOf);
    const expected = [...EXPECTED_PLATFORMS];
    const exact =
        listed.length === expected.length &&
        expected.every((platform) => listed.filter((p) => p === platform).length === 1);
    checks.push(
        exact
            ? pass(`${indexName} platforms`, `exactly ${expected.join(", ")}`)
            : fail(`${indexName} platforms`, `lists [${listed.join(", ")}], expected exactly [${expected.join(", ")}]`),
    );

    for (const platform of EXPECTED_PLATFORMS) {
        const descriptor = index.manifests.find((entry) => platformOf(entry) === platform);
        if (!descriptor) {
            continue;
        }
        children[platform] = descriptor.digest;
        const wanted = expectation.childDigests?.[platform];
        if (wanted !== undefined) {
            const label = platform === "linux/amd64" ? "amd64Ref" : "arm64Ref";
            checks.push(
                wanted === descriptor.digest
                    ? pass(`${label} is the index's ${platform} child`, descriptor.digest)
                    : fail(
                          `${label} is the index's ${platform} child`,
                          `${label} has ${wanted}, the index lists ${descriptor.digest}`,
                      ),
            );
        }
        checks.push(await checkChildConfig(get, endpoint, repository, descriptor, platform));
    }
    return { checks, children };
}

async function checkChildConfig(
    get: HttpGet,
    endpoint: RegistryEndpoint,
    repository: string,
    descriptor: Descriptor,
    platform: string,
): Promise<Check> {
    const name = `${platform} child config`;
    try {
        const manifestBytes = await registryGet(
            get,
            endpoint,
            `/v2/${repository}/manifests/${descriptor.digest}`,
            IMAGE_MEDIA_TYPES,
        );
        if (sha256(manifestBytes) !== descriptor.digest) {
            return fail(name, `manifest hashes to ${sha256(manifestBytes)}, not ${descriptor.digest}`);
        }
        const manifest = parseJson<ManifestDocument>(manifestBytes, `manifest ${descriptor.digest}`);
        if (!manifest.config?.digest) {
            return fail(name, `manifest ${descriptor.digest} names no config blob`);
        }
        const configBytes = await registryGet(get, endpoint, `/v2/${repository}/blobs/${manifest.config.digest}`, [
            "application/octet-stream",
            "*/*",
        ]);
        if (sha256(configBytes) !== manifest.config.digest) {
            return fail(name, `config blob hashes to ${sha256(configBytes)}, not ${manifest.config.digest}`);
        }
        const config = parseJson<ConfigDocument>(configBytes, `config ${manifest.config.digest}`);
        const actual = `${config.os ?? "?"}/${config.architecture ?? "?"}`;
        return actual === platform
            ? pass(name, `config says ${actual}`)
            : fail(name, `the index says ${platform} but the config says ${actual}`);
    } catch (err) {
        return fail(name, (err as Error).message);
    }
}

/** `Basic <token>` for the account's ECR registry; the token is base64 of `AWS:<password>`. */
export async function ecrAuthorization(ecr: Pick<ECRClient, "send">): Promise<string> {
    const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = answer.authorizationData?.[0]?.authorizationToken;
    if (!token) {
        throw new Error("ECR GetAuthorizationToken returned no token");
    }
    return `Basic ${token}`;
}

// ---------------------------------------------------------------------------------
// Lambda

/**
 * The function must be arm64 (Architectures defaults to ["x86_64"] when unset) and its
 * image must resolve to the arm64 child: Lambda cannot take an index
 * (docs/platform-facts.md, "AWS Lambda").
 */
export async function checkLambda(
    lambda: Pick<LambdaClient, "send">,
    functionName: string,
    arm64Digest: string,
): Promise<Check[]> {
    const checks: Check[] = [];
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const architectures = configuration.Architectures ?? ["x86_64"];
    checks.push(
        architectures.length === 1 && architectures[0] === "arm64"
            ? pass(`Lambda ${functionName} architecture`, "arm64")
            : fail(
                  `Lambda ${functionName} architecture`,
                  `Architectures is [${architectures.join(", ")}], expected [arm64]`,
              ),
    );
    // GetFunction's Code.ResolvedImageUri is the image Lambda actually deployed, pinned
    // to a digest even when ImageUri named a tag.
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const resolved = fn.Code?.ResolvedImageUri ?? fn.Code?.ImageUri;
    const resolvedDigest = resolved?.includes("@") ? resolved.slice(resolved.lastIndexOf("@") + 1) : undefined;
    checks.push(
        resolvedDigest === arm64Digest
            ? pass(`Lambda ${functionName} image`, `runs the arm64 child ${arm64Digest}`)
            : fail(
                  `Lambda ${functionName} image`,
                  `resolved image is ${resolved ?? "(none)"}, expected the arm64 child ${arm64Digest}`,
              ),
    );
    return checks;
}

// ---------------------------------------------------------------------------------
// ECS

/** ECS's two names for a CPU architecture: the task definition's and the task attribute's. */
export const ECS_ARCH = {
    x86: { runtimePlatform: "X86_64", taskAttribute: "x86_64" },
    arm64: { runtimePlatform: "ARM64", taskAttribute: "arm64" },
} as const;

/**
 * Every RUNNING task of the service must be on `arch`, judged two ways:
 * - the task definition's `runtimePlatform.cpuArchitecture` (X86_64 | ARM64), the
 *   documented field that decides where Fargate places the task (ECS API reference,
 *   RuntimePlatform);
 * - the task's own `attributes` entry `ecs.cpu-architecture` (x86_64 | arm64), which
 *   DescribeTasks returns for Fargate tasks. The API reference lists `attributes` on
 *   Task without naming its keys, so a missing entry is reported, not failed.
 * The task definition must also use the image index (ECS picks the child itself).
 */
export async function checkEcsService(
    ecs: Pick<ECSClient, "send">,
    cluster: string,
    serviceName: string,
    arch: keyof typeof ECS_ARCH,
    indexRef: string,
): Promise<Check[]> {
    const expected = ECS_ARCH[arch];
    const name = `ECS ${serviceName} tasks`;
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await ecs.send(
            new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING", nextToken }),
        );
        taskArns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    if (taskArns.length === 0) {
        return [fail(name, `no RUNNING tasks in cluster ${cluster}: nothing to check`)];
    }

    const definitions = new Map<string, TaskDefinition>();
    const problems: string[] = [];
    let described = 0;
    let attributeSeen = 0;
    for (let start = 0; start < taskArns.length; start += 100) {
        // At most 100 tasks per DescribeTasks call (ECS API reference).
        const page = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(start, start + 100) }));
        for (const failure of page.failures ?? []) {
            problems.push(`${failure.arn ?? "task"}: ${failure.reason ?? "describe failed"}`);
        }
        for (const task of page.tasks ?? []) {
            described++;
            const taskId = (task.taskArn ?? "?").split("/").pop();
            const attribute = task.attributes?.find((entry) => entry.name === "ecs.cpu-architecture")?.value;
            if (attribute !== undefined) {
                attributeSeen++;
                if (attribute !== expected.taskAttribute) {
                    problems.push(`task ${taskId} reports ecs.cpu-architecture=${attribute}`);
                }
            }
            const definitionArn = task.taskDefinitionArn;
            if (!definitionArn) {
                problems.push(`task ${taskId} has no task definition ARN`);
                continue;
            }
            let definition = definitions.get(definitionArn);
            if (!definition) {
                definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: definitionArn })))
                    .taskDefinition;
                if (!definition) {
                    problems.push(`task definition ${definitionArn} not found`);
                    continue;
                }
                definitions.set(definitionArn, definition);
            }
            const cpuArchitecture = definition.runtimePlatform?.cpuArchitecture ?? "(unset: X86_64)";
            if (cpuArchitecture !== expected.runtimePlatform) {
                problems.push(
                    `task ${taskId} runs task definition ${definitionArn.split("/").pop()} with cpuArchitecture ${cpuArchitecture}`,
                );
            }
        }
    }
    const checks: Check[] = [];
    if (problems.length > 0) {
        checks.push(fail(name, `expected ${expected.runtimePlatform}: ${problems.join("; ")}`));
    } else if (described === 0) {
        checks.push(fail(name, `ListTasks named ${taskArns.length} tasks but DescribeTasks returned none`));
    } else {
        const attributeNote =
            attributeSeen === described
                ? `, ecs.cpu-architecture=${expected.taskAttribute}`
                : `; ${described - attributeSeen} without an ecs.cpu-architecture attribute`;
        checks.push(pass(name, `${described} running, task definition ${expected.runtimePlatform}${attributeNote}`));
    }
    const images = [...definitions.values()].flatMap((definition) =>
        (definition.containerDefinitions ?? []).map((container) => container.image ?? ""),
    );
    checks.push(
        images.length > 0 && images.every((image) => image === indexRef)
            ? pass(`ECS ${serviceName} image`, "the index (indexRef)")
            : fail(
                  `ECS ${serviceName} image`,
                  `task definitions use [${[...new Set(images)].join(", ")}], expected indexRef ${indexRef}`,
              ),
    );
    return checks;
}

// ---------------------------------------------------------------------------------
// App Runner

/**
 * App Runner runs amd64 only, so its service must use exactly amd64Ref
 * (docs/platform-facts.md, "AWS App Runner"). The service ARN is not a stack
 * output: the service is found by its URL.
 */
export async function checkAppRunner(
    apprunner: Pick<AppRunnerClient, "send">,
    appRunnerUrl: string,
    amd64Ref: string,
): Promise<Check[]> {
    const host = new URL(appRunnerUrl.includes("://") ? appRunnerUrl : `https://${appRunnerUrl}`).host;
    const name = `App Runner ${host}`;
    let serviceArn: string | undefined;
    let nextToken: string | undefined;
    do {
        const page = await apprunner.send(new ListServicesCommand({ NextToken: nextToken }));
        serviceArn = page.ServiceSummaryList?.find((summary) => summary.ServiceUrl === host)?.ServiceArn;
        nextToken = page.NextToken;
    } while (!serviceArn && nextToken);
    if (!serviceArn) {
        return [fail(name, `no App Runner service in this region has the URL ${host}`)];
    }
    const described = await apprunner.send(new DescribeServiceCommand({ ServiceArn: serviceArn }));
    const identifier = described.Service?.SourceConfiguration?.ImageRepository?.ImageIdentifier;
    return [
        identifier === amd64Ref
            ? pass(`${name} image`, "the amd64 child (amd64Ref)")
            : fail(`${name} image`, `ImageIdentifier is ${identifier ?? "(none)"}, expected amd64Ref ${amd64Ref}`),
    ];
}

// ---------------------------------------------------------------------------------
// All of it

export interface Clients {
    ecr: Pick<ECRClient, "send">;
    lambda: Pick<LambdaClient, "send">;
    ecs: Pick<ECSClient, "send">;
    apprunner: Pick<AppRunnerClient, "send">;
    get: HttpGet;
}

/** Thrown when no AWS credentials are available: no check can say anything then. */
export class CredentialsError extends Error {}

function isCredentialsProblem(err: unknown): boolean {
    const name = (err as { name?: string }).name ?? "";
    const message = (err as { message?: string }).message ?? "";
    return (
        name === "CredentialsProviderError" ||
        /Could not load credentials|Unable to locate credentials|ExpiredToken/.test(message) ||
        name === "ExpiredTokenException"
    );
}

async function guarded(label: string, body: () => Promise<Check[]>): Promise<Check[]> {
    try {
        return await body();
    } catch (err) {
        if (isCredentialsProblem(err)) {
            throw new CredentialsError(
                `no usable AWS credentials (${(err as Error).message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, for the account of the stack`,
            );
        }
        return [fail(label, `${(err as Error).name}: ${(err as Error).message}`)];
    }
}

export async function verifyDeployment(outputs: StackOutputs, clients: Clients): Promise<Check[]> {
    const checks: Check[] = [];
    const indexRef = parseImageRef(outputs.indexRef);
    const amd64 = parseImageRef(outputs.amd64Ref);
    const arm64 = parseImageRef(outputs.arm64Ref);
    if (!indexRef.digest || !amd64.digest || !arm64.digest) {
        return [fail("stack outputs", "indexRef, amd64Ref and arm64Ref must all be pinned by @sha256 digest")];
    }
    const indexDigest = indexRef.digest;
    const amd64Digest = amd64.digest;
    const arm64Digest = arm64.digest;

    checks.push(
        ...(await guarded("ECR index", async () => {
            const authorization = await ecrAuthorization(clients.ecr);
            const report = await checkImageIndex(
                clients.get,
                { baseUrl: `https://${indexRef.registry}`, authorization },
                indexRef.repository,
                indexDigest,
                {
                    childDigests: { "linux/amd64": amd64Digest, "linux/arm64": arm64Digest },
                },
            );
            return report.checks;
        })),
    );
    checks.push(
        ...(await guarded("Lambda", () => checkLambda(clients.lambda, outputs.lambdaFunctionName, arm64Digest))),
    );
    checks.push(
        ...(await guarded("ECS x86", () =>
            checkEcsService(clients.ecs, outputs.clusterName, outputs.serviceNames.x86, "x86", outputs.indexRef),
        )),
    );
    checks.push(
        ...(await guarded("ECS arm64", () =>
            checkEcsService(clients.ecs, outputs.clusterName, outputs.serviceNames.arm64, "arm64", outputs.indexRef),
        )),
    );
    if (outputs.appRunnerUrl) {
        const url = outputs.appRunnerUrl;
        checks.push(...(await guarded("App Runner", () => checkAppRunner(clients.apprunner, url, outputs.amd64Ref))));
    }
    return checks;
}

// ---------------------------------------------------------------------------------
// Command line

const USAGE = "usage: npm run verify -- --stack <name> | --outputs <file.json>";

export type VerifyOptions = { help: true } | { help: false; stack: string } | { help: false; outputsFile: string };

export function parseArgs(argv: readonly string[]): VerifyOptions {
    let stack: string | undefined;
    let outputsFile: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = (flag: string): string => {
            const inline = arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : undefined;
            const next = inline ?? argv[++i];
            if (next === undefined || next === "") {
                throw new Error(`${flag} needs a value\n${USAGE}`);
            }
            return next;
        };
        if (arg === "-h" || arg === "--help") {
            return { help: true };
        } else if (arg === "--stack" || arg.startsWith("--stack=")) {
            stack = value("--stack");
        } else if (arg === "--outputs" || arg.startsWith("--outputs=")) {
            outputsFile = value("--outputs");
        } else {
            throw new Error(`unknown argument "${arg}"\n${USAGE}`);
        }
    }
    if (stack !== undefined && outputsFile !== undefined) {
        throw new Error(`give --stack or --outputs, not both\n${USAGE}`);
    }
    if (outputsFile !== undefined) {
        return { help: false, outputsFile };
    }
    if (stack !== undefined) {
        return { help: false, stack };
    }
    throw new Error(`say which deployment to check\n${USAGE}`);
}

async function main(): Promise<number> {
    let options: VerifyOptions;
    let outputs: StackOutputs;
    try {
        options = parseArgs(process.argv.slice(2));
        if (options.help) {
            console.log(USAGE);
            return 0;
        }
        outputs =
            "outputsFile" in options
                ? parseStackOutputs(JSON.parse(fs.readFileSync(options.outputsFile, "utf8")))
                : readStackOutputs(options.stack);
    } catch (err) {
        console.error(`verify: ${(err as Error).message}`);
        return 2;
    }
    const region = outputs.region;
    const clients: Clients = {
        ecr: new ECRClient({ region }),
        lambda: new LambdaClient({ region }),
        ecs: new ECSClient({ region }),
        apprunner: new AppRunnerClient({ region }),
        get: fetchGet,
    };
    let checks: Check[];
    try {
        checks = await verifyDeployment(outputs, clients);
    } catch (err) {
        console.error(`verify: ${(err as Error).message}`);
        return 2;
    }
    console.log(formatTable(checks));
    const failed = checks.filter((check) => !check.ok).length;
    console.log(
        failed === 0
            ? `verify: all ${checks.length} checks passed`
            : `verify: ${failed} of ${checks.length} checks failed`,
    );
    return failed === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (err: Error) => {
            console.error(`verify: ${err.stack ?? err.message}`);
            process.exitCode = 2;
        },
    );
}
