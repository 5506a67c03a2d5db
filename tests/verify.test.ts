import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand, Service } from "@aws-sdk/client-apprunner";
import { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import {
    DescribeClustersCommand,
    DescribeExpressGatewayServiceCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListClustersCommand,
    ListServicesCommand as ListEcsServicesCommand,
    ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";

import {
    awsClients,
    Check,
    checkAppRunner,
    checkEcsService,
    checkLambda,
    Clients,
    CredentialsError,
    formatTable,
    HttpGet,
    HttpResponse,
    parseImageRef,
    parseStackOutputs,
    readStackOutputs,
    StackOutputs,
    verifyDeployment,
} from "../commands/verify";
import { parseArgs, verifyMain } from "../commands/verify/verify";
import { CLUSTER, EKS_URL, mockEksAccount, podsAnswering } from "./models/eksAccount";

// ---------------------------------------------------------------------------------
// An ECR registry in memory: an index of two children, each with its config blob.

const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const REPOSITORY = "app-1234567";
const TOKEN = Buffer.from("AWS:secret-password").toString("base64");

function sha256Of(body: string): string {
    return `sha256:${crypto.createHash("sha256").update(body).digest("hex")}`;
}

interface FakeRegistry {
    get: HttpGet;
    indexDigest: string;
    children: { amd64: string; arm64: string };
    /** Every request made: URL and whether it carried an Authorization header. */
    requests: { url: string; authorized: boolean }[];
}

/** `configArch` lets a test make a child's config disagree with the index. */
function fakeRegistry(configArch: { amd64: string; arm64: string } = { amd64: "amd64", arm64: "arm64" }): FakeRegistry {
    const documents = new Map<string, string>();
    const blobs = new Map<string, string>();
    const children = {} as { amd64: string; arm64: string };
    for (const arch of ["amd64", "arm64"] as const) {
        const config = JSON.stringify({ os: "linux", architecture: configArch[arch], config: {} });
        const configDigest = sha256Of(config);
        blobs.set(configDigest, config);
        const manifest = JSON.stringify({
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: {
                mediaType: "application/vnd.oci.image.config.v1+json",
                digest: configDigest,
                size: config.length,
            },
            layers: [],
        });
        children[arch] = sha256Of(manifest);
        documents.set(children[arch], manifest);
    }
    const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: (["amd64", "arm64"] as const).map((arch) => ({
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: children[arch],
            size: documents.get(children[arch])?.length,
            platform: { os: "linux", architecture: arch },
        })),
    });
    const indexDigest = sha256Of(index);
    documents.set(indexDigest, index);

    const requests: { url: string; authorized: boolean }[] = [];
    const respond = (status: number, body = "", headers: Record<string, string> = {}): HttpResponse => ({
        status,
        headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
        arrayBuffer: async () => {
            const bytes = Buffer.from(body);
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
        },
    });
    const get: HttpGet = async (url, headers) => {
        const authorized = headers.Authorization !== undefined;
        requests.push({ url, authorized });
        const parsed = new URL(url);
        if (parsed.host === "s3.example.com") {
            // ECR hands blobs out through S3, which rejects a second auth mechanism.
            return authorized
                ? respond(400, "only one auth mechanism allowed")
                : respond(200, blobs.get(parsed.searchParams.get("digest") ?? "") ?? "");
        }
        if (headers.Authorization !== `Basic ${TOKEN}`) {
            return respond(401);
        }
        const manifest = new RegExp(`^/v2/${REPOSITORY}/manifests/(sha256:[0-9a-f]{64})$`).exec(parsed.pathname);
        if (manifest && documents.has(manifest[1])) {
            return respond(200, documents.get(manifest[1]));
        }
        const blob = new RegExp(`^/v2/${REPOSITORY}/blobs/(sha256:[0-9a-f]{64})$`).exec(parsed.pathname);
        if (blob && blobs.has(blob[1])) {
            return respond(307, "", { location: `https://s3.example.com/layer?digest=${blob[1]}&X-Amz-Signature=abc` });
        }
        return respond(404);
    };
    return { get, indexDigest, children, requests };
}

// ---------------------------------------------------------------------------------
// Stack outputs and AWS answers for a deployment where everything is right.

function outputsFor(registry: FakeRegistry, overrides: Partial<StackOutputs> = {}): StackOutputs {
    const repositoryUrl = `${REGISTRY}/${REPOSITORY}`;
    return {
        region: "us-east-1",
        repositoryUrl,
        imageTag: "0123456789abcdef",
        indexRef: `${repositoryUrl}@${registry.indexDigest}`,
        amd64Ref: `${repositoryUrl}@${registry.children.amd64}`,
        arm64Ref: `${repositoryUrl}@${registry.children.arm64}`,
        lambdaFunctionName: "api-fn",
        clusterName: "web-cluster",
        serviceNames: { x86: "web-x86", arm64: "web-arm64" },
        appRunnerUrl: "https://abc123.us-east-1.awsapprunner.com",
        ...overrides,
    };
}

/** An App Runner service as DescribeService returns it; only the image matters here. */
function appRunnerService(imageIdentifier: string): Service {
    return {
        ServiceName: "app",
        ServiceId: "2",
        ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/app/2",
        ServiceUrl: "abc123.us-east-1.awsapprunner.com",
        CreatedAt: new Date(0),
        UpdatedAt: new Date(0),
        Status: "RUNNING",
        SourceConfiguration: { ImageRepository: { ImageIdentifier: imageIdentifier, ImageRepositoryType: "ECR" } },
        InstanceConfiguration: {},
        AutoScalingConfigurationSummary: {},
        NetworkConfiguration: {},
    };
}

const ecrMock = mockClient(ECRClient);
const lambdaMock = mockClient(LambdaClient);
const ecsMock = mockClient(ECSClient);
const appRunnerMock = mockClient(AppRunnerClient);
const elbv2Mock = mockClient(ElasticLoadBalancingV2Client);
const cloudwatchMock = mockClient(CloudWatchClient);

const CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster";

const TASK_DEF = {
    x86: "arn:aws:ecs:us-east-1:123456789012:task-definition/web-x86:3",
    arm64: "arn:aws:ecs:us-east-1:123456789012:task-definition/web-arm64:3",
};

const stackTags = [
    { key: "project", value: "graviton-multiarch" },
    { key: "stack", value: "dev" },
];
const WEB_CLUSTER = { clusterName: "web-cluster", clusterArn: `${CLUSTER_ARN}/web-cluster`, status: "ACTIVE" };

/** Mocks every AWS answer of a correct deployment; tests then break one thing. */
function mockHealthyAccount(outputs: StackOutputs): void {
    // The services' cluster is the stack's only one: Express Mode left nothing behind.
    ecsMock.on(DescribeClustersCommand).resolves({ clusters: [{ ...WEB_CLUSTER, tags: stackTags }] });
    ecsMock.on(ListClustersCommand).resolves({ clusterArns: [WEB_CLUSTER.clusterArn] });
    ecrMock
        .on(GetAuthorizationTokenCommand)
        .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${REGISTRY}` }] });
    lambdaMock
        .on(GetFunctionConfigurationCommand)
        .resolves({ FunctionName: outputs.lambdaFunctionName, Architectures: ["arm64"], PackageType: "Image" });
    lambdaMock
        .on(GetFunctionCommand)
        .resolves({ Code: { RepositoryType: "ECR", ImageUri: outputs.arm64Ref, ResolvedImageUri: outputs.arm64Ref } });
    ecsMock
        .on(ListTasksCommand, { serviceName: "web-x86" })
        .resolves({ taskArns: ["arn:aws:ecs:us-east-1:123456789012:task/web-cluster/x1"] });
    ecsMock.on(ListTasksCommand, { serviceName: "web-arm64" }).resolves({
        taskArns: [
            "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/a1",
            "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/a2",
        ],
    });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
        tasks: input.tasks.map((taskArn) => {
            const arm = taskArn.includes("/a");
            return {
                taskArn,
                taskDefinitionArn: arm ? TASK_DEF.arm64 : TASK_DEF.x86,
                attributes: [{ name: "ecs.cpu-architecture", value: arm ? "arm64" : "x86_64" }],
            };
        }),
        failures: [],
    }));
    ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF.x86 }).resolves({
        taskDefinition: {
            taskDefinitionArn: TASK_DEF.x86,
            runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
            containerDefinitions: [{ name: "app", image: outputs.indexRef }],
        },
    });
    ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF.arm64 }).resolves({
        taskDefinition: {
            taskDefinitionArn: TASK_DEF.arm64,
            runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
            containerDefinitions: [{ name: "app", image: outputs.indexRef }],
        },
    });
    appRunnerMock.on(ListServicesCommand).resolves({
        ServiceSummaryList: [
            {
                ServiceName: "other",
                ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/other/1",
                ServiceUrl: "zzz.us-east-1.awsapprunner.com",
            },
            {
                ServiceName: "app",
                ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/app/2",
                ServiceUrl: "abc123.us-east-1.awsapprunner.com",
            },
        ],
    });
    appRunnerMock
        .on(DescribeServiceCommand, { ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/app/2" })
        .resolves({
            Service: appRunnerService(outputs.amd64Ref),
        });
}

// The real clients (aws-sdk-client-mock answers for every instance of a mocked class), with the fake registry.
function clients(registry: FakeRegistry): Clients {
    return { ...awsClients("us-east-1"), get: registry.get };
}

function failed(checks: readonly Check[]): string[] {
    return checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`);
}

describe("verify: the deployed architectures against the AWS account (mocked)", () => {
    let registry: FakeRegistry;
    let outputs: StackOutputs;

    beforeEach(() => {
        ecrMock.reset();
        lambdaMock.reset();
        ecsMock.reset();
        appRunnerMock.reset();
        elbv2Mock.reset();
        cloudwatchMock.reset();
        registry = fakeRegistry();
        outputs = outputsFor(registry);
        mockHealthyAccount(outputs);
    });

    it("passes every check when each runtime runs the image it should", async () => {
        const checks = await verifyDeployment(outputs, clients(registry));
        assert.deepStrictEqual(failed(checks), []);
        assert.deepStrictEqual(
            checks.map((check) => check.name),
            [
                `index ${REPOSITORY}:${registry.indexDigest.slice(7, 19)} platforms`,
                "amd64Ref is the index's linux/amd64 child",
                "linux/amd64 child config",
                "arm64Ref is the index's linux/arm64 child",
                "linux/arm64 child config",
                "Lambda api-fn architecture",
                "Lambda api-fn image",
                "ECS web-x86 tasks",
                "ECS web-x86 image",
                "ECS web-arm64 tasks",
                "ECS web-arm64 image",
                "App Runner abc123.us-east-1.awsapprunner.com image",
                "Express Mode leftovers",
            ],
        );
    });

    it("fails when Express Mode is off but a cluster of the stack with an Express service is left", async () => {
        const leftover = { clusterName: "express-1234567", clusterArn: `${CLUSTER_ARN}/express-1234567` };
        const service = "arn:aws:ecs:us-east-1:123456789012:service/express-1234567/express-89abcdef";
        ecsMock.on(ListClustersCommand).resolves({ clusterArns: [WEB_CLUSTER.clusterArn, leftover.clusterArn] });
        ecsMock.on(DescribeClustersCommand, { clusters: [WEB_CLUSTER.clusterArn, leftover.clusterArn] }).resolves({
            clusters: [
                { ...WEB_CLUSTER, tags: stackTags },
                { ...leftover, status: "ACTIVE", tags: stackTags },
            ],
        });
        ecsMock.on(ListEcsServicesCommand, { cluster: "express-1234567" }).resolves({ serviceArns: [service] });
        const checks = await verifyDeployment({ ...outputs, expressServiceArn: undefined }, clients(registry));
        assert.deepStrictEqual(failed(checks), [
            `Express Mode leftovers: cluster express-1234567 (active: express-89abcdef) is left from Express Mode; delete it: aws ecs delete-express-gateway-service --service-arn ${service}, then wait until \`aws ecs describe-services --cluster express-1234567 --services express-89abcdef\` reports INACTIVE, then aws ecs delete-cluster --cluster express-1234567`,
        ]);
    });

    it("checks the dashboard, the alarms and the ARM service's deployment alarms when the outputs name them", async () => {
        const alarmNames = ["graviton-multiarch-dev-arm64-p99"];
        cloudwatchMock
            .on(GetDashboardCommand, { DashboardName: "graviton-multiarch-dev" })
            .resolves({ DashboardBody: JSON.stringify({ widgets: [{ type: "metric" }] }) });
        cloudwatchMock
            .on(DescribeAlarmsCommand, { AlarmNames: alarmNames })
            .resolves({ MetricAlarms: [{ AlarmName: alarmNames[0] }] });
        ecsMock.on(DescribeServicesCommand, { cluster: "web-cluster", services: ["web-arm64"] }).resolves({
            services: [{ deploymentConfiguration: { alarms: { alarmNames, enable: true, rollback: false } } }],
        });
        const checks = await verifyDeployment(
            { ...outputs, dashboardName: "graviton-multiarch-dev", alarmNames },
            clients(registry),
        );
        assert.deepStrictEqual(failed(checks), ["ECS web-arm64 deployment alarms: rollback is off"]);
        assert.deepStrictEqual(
            checks.map((check) => check.name).filter((name) => /CloudWatch|deployment alarms/.test(name)),
            ["CloudWatch dashboard graviton-multiarch-dev", "CloudWatch alarms", "ECS web-arm64 deployment alarms"],
        );
    });

    it("checks EKS when the stack has it: the node groups, the nodes and the pods behind the Service", async () => {
        mockEksAccount();
        const eksOutputs = { ...outputs, eksClusterName: CLUSTER, eksUrl: EKS_URL };
        const pods = podsAnswering([{}], registry.get);
        const checks = await verifyDeployment(eksOutputs, { ...clients(registry), get: pods.get });
        assert.deepStrictEqual(failed(checks), []);
        assert.deepStrictEqual(
            checks.slice(-4, -1).map((check) => check.name),
            [
                "EKS node group eks-graviton-1a2b3c4 architecture",
                `EKS ${CLUSTER} nodes`,
                `EKS ${new URL(EKS_URL).host} pods`,
            ],
        );
        // Without the Service's host name there is no pod to ask, which is a failure, not a pass.
        const noUrl = await verifyDeployment({ ...eksOutputs, eksUrl: undefined }, clients(registry));
        assert.deepStrictEqual(failed(noUrl), [
            "EKS pods: stack output eksUrl is empty: the Service's load balancer has no host name",
        ]);
    });

    it("also checks the ARM placement, the listeners and Express Mode when the outputs name them", async () => {
        const lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1";
        const express = "arn:aws:ecs:us-east-1:123456789012:service/web-cluster/express-1";
        elbv2Mock.on(DescribeListenersCommand).resolves({
            Listeners: [
                {
                    Port: 80,
                    Protocol: "HTTP",
                    DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{}, {}] } }],
                },
            ],
        });
        ecsMock
            .on(DescribeServicesCommand)
            .resolves({ services: [{ serviceName: "web-arm64", launchType: "FARGATE" }] });
        ecsMock.on(DescribeExpressGatewayServiceCommand).resolves({
            service: {
                status: { statusCode: "ACTIVE" },
                activeConfigurations: [{ healthCheckPath: "/healthz", primaryContainer: { image: outputs.amd64Ref } }],
            },
        });
        const checks = await verifyDeployment(
            { ...outputs, loadBalancerArn: lb, armCapacityProviderStrategy: null, expressServiceArn: express },
            clients(registry),
        );
        assert.deepStrictEqual(failed(checks), []);
        assert.deepStrictEqual(
            checks.slice(-5).map((check) => check.name),
            [
                "ECS web-arm64 placement",
                "ALB listeners",
                "App Runner abc123.us-east-1.awsapprunner.com image",
                "Express express-1",
                "Express Mode leftovers",
            ],
        );
    });

    it("sends the ECR token to the registry but never to S3 after a blob redirect", async () => {
        await verifyDeployment(outputs, clients(registry));
        const s3 = registry.requests.filter((request) => request.url.startsWith("https://s3.example.com/"));
        assert.strictEqual(s3.length, 2);
        assert.ok(s3.every((request) => !request.authorized));
        assert.ok(
            registry.requests
                .filter((request) => request.url.startsWith(`https://${REGISTRY}/`))
                .every((request) => request.authorized),
        );
    });

    it("fails an x86_64 Lambda", async () => {
        lambdaMock.on(GetFunctionConfigurationCommand).resolves({ Architectures: ["x86_64"] });
        assert.deepStrictEqual(failed(await checkLambda(new LambdaClient({}), "api-fn", registry.children.arm64)), [
            "Lambda api-fn architecture: Architectures is [x86_64], expected [arm64]",
        ]);
    });

    it("fails a Lambda with no Architectures, which AWS treats as x86_64", async () => {
        lambdaMock.on(GetFunctionConfigurationCommand).resolves({});
        assert.deepStrictEqual(failed(await checkLambda(new LambdaClient({}), "api-fn", registry.children.arm64)), [
            "Lambda api-fn architecture: Architectures is [x86_64], expected [arm64]",
        ]);
    });

    it("fails a Lambda whose resolved image is not the arm64 child", async () => {
        lambdaMock.on(GetFunctionCommand).resolves({ Code: { ResolvedImageUri: outputs.amd64Ref } });
        const failures = failed(await checkLambda(new LambdaClient({}), "api-fn", registry.children.arm64));
        assert.strictEqual(failures.length, 1);
        assert.match(
            failures[0],
            /^Lambda api-fn image: resolved image is .*@sha256:[0-9a-f]{64}, expected the arm64 child/,
        );
    });

    it("fails an ECS service whose task reports the wrong CPU architecture", async () => {
        ecsMock.on(DescribeTasksCommand).resolves({
            tasks: [
                {
                    taskArn: "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/a1",
                    taskDefinitionArn: TASK_DEF.arm64,
                    attributes: [{ name: "ecs.cpu-architecture", value: "x86_64" }],
                },
            ],
        });
        const failures = failed(
            await checkEcsService(new ECSClient({}), "web-cluster", "web-arm64", "arm64", outputs.indexRef),
        );
        assert.deepStrictEqual(failures, [
            "ECS web-arm64 tasks: expected ARM64: task a1 reports ecs.cpu-architecture=x86_64",
        ]);
    });

    it("fails an ECS service whose task definition is on the other architecture", async () => {
        ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF.arm64 }).resolves({
            taskDefinition: {
                runtimePlatform: { cpuArchitecture: "X86_64" },
                containerDefinitions: [{ image: outputs.indexRef }],
            },
        });
        ecsMock.on(DescribeTasksCommand).resolves({
            tasks: [
                {
                    taskArn: "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/a1",
                    taskDefinitionArn: TASK_DEF.arm64,
                },
            ],
        });
        const failures = failed(
            await checkEcsService(new ECSClient({}), "web-cluster", "web-arm64", "arm64", outputs.indexRef),
        );
        assert.deepStrictEqual(failures, [
            "ECS web-arm64 tasks: expected ARM64: task a1 runs task definition web-arm64:3 with cpuArchitecture X86_64",
        ]);
    });

    it("passes a task without the ecs.cpu-architecture attribute on the task definition alone, and says so", async () => {
        ecsMock.on(DescribeTasksCommand).resolves({
            tasks: [
                {
                    taskArn: "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/a1",
                    taskDefinitionArn: TASK_DEF.arm64,
                },
            ],
        });
        const checks = await checkEcsService(new ECSClient({}), "web-cluster", "web-arm64", "arm64", outputs.indexRef);
        assert.deepStrictEqual(failed(checks), []);
        assert.strictEqual(
            checks[0].detail,
            "1 running, task definition ARM64; 1 without an ecs.cpu-architecture attribute",
        );
    });

    it("fails an ECS service with no running tasks", async () => {
        ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
        assert.deepStrictEqual(
            failed(await checkEcsService(new ECSClient({}), "web-cluster", "web-x86", "x86", outputs.indexRef)),
            ["ECS web-x86 tasks: no RUNNING tasks in cluster web-cluster: nothing to check"],
        );
    });

    it("fails an ECS service whose task definition pins a single-platform image instead of the index", async () => {
        ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF.x86 }).resolves({
            taskDefinition: {
                runtimePlatform: { cpuArchitecture: "X86_64" },
                containerDefinitions: [{ image: outputs.amd64Ref }],
            },
        });
        const failures = failed(
            await checkEcsService(new ECSClient({}), "web-cluster", "web-x86", "x86", outputs.indexRef),
        );
        assert.strictEqual(failures.length, 1);
        assert.match(failures[0], /^ECS web-x86 image: task definitions use \[.*\], expected indexRef/);
    });

    it("fails App Runner when it runs anything but the amd64 child, and when no service has the URL", async () => {
        appRunnerMock.on(DescribeServiceCommand).resolves({ Service: appRunnerService(outputs.indexRef) });
        assert.match(
            failed(await checkAppRunner(new AppRunnerClient({}), outputs.appRunnerUrl ?? "", outputs.amd64Ref))[0],
            /ImageIdentifier is .*, expected amd64Ref/,
        );
        assert.deepStrictEqual(
            failed(await checkAppRunner(new AppRunnerClient({}), "https://nope.awsapprunner.com", outputs.amd64Ref)),
            [
                "App Runner nope.awsapprunner.com: no App Runner service in this region has the URL nope.awsapprunner.com",
            ],
        );
    });

    it("skips App Runner when the stack has none", async () => {
        const checks = await verifyDeployment({ ...outputs, appRunnerUrl: undefined }, clients(registry));
        assert.ok(!checks.some((check) => check.name.startsWith("App Runner")));
        assert.strictEqual(appRunnerMock.calls().length, 0);
    });

    it("fails when arm64Ref is not the index's arm64 child", async () => {
        const swapped = outputsFor(registry, { arm64Ref: outputs.amd64Ref });
        const checks = await verifyDeployment(swapped, clients(registry));
        assert.ok(
            failed(checks).includes(
                `arm64Ref is the index's linux/arm64 child: arm64Ref has ${registry.children.amd64}, the index lists ${registry.children.arm64}`,
            ),
        );
    });

    it("fails when a child's config contradicts the index", async () => {
        const lying = fakeRegistry({ amd64: "amd64", arm64: "amd64" });
        const checks = await verifyDeployment(outputsFor(lying), clients(lying));
        assert.deepStrictEqual(
            failed(checks).filter((line) => line.startsWith("linux/")),
            ["linux/arm64 child config: the index says linux/arm64 but the config says linux/amd64"],
        );
    });

    it("reports a registry that refuses the token as a failed check", async () => {
        ecrMock
            .on(GetAuthorizationTokenCommand)
            .resolves({ authorizationData: [{ authorizationToken: Buffer.from("AWS:wrong").toString("base64") }] });
        const checks = await verifyDeployment(outputs, clients(registry));
        assert.match(
            failed(checks)[0],
            /readable: GET https:\/\/.*answered 401 \(registry credentials missing or not allowed\)/,
        );
    });

    it("stops with a clear message when there are no AWS credentials", async () => {
        const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), {
            name: "CredentialsProviderError",
        });
        ecrMock.on(GetAuthorizationTokenCommand).rejects(noCredentials);
        await assert.rejects(verifyDeployment(outputs, clients(registry)), (err: Error) => {
            assert.ok(err instanceof CredentialsError);
            assert.match(err.message, /no usable AWS credentials .*set AWS_PROFILE/);
            return true;
        });
    });

    describe("as npm run verify, on saved outputs", () => {
        let outputsFile: string;
        let dir: string;

        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-outputs-"));
            outputsFile = path.join(dir, "outputs.json");
            fs.writeFileSync(outputsFile, JSON.stringify(outputs));
        });

        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        async function verify(argv: readonly string[]) {
            let stdout = "";
            let stderr = "";
            const main = verifyMain((region) => {
                assert.strictEqual(region, "us-east-1", "clients for the stack's region");
                return clients(registry);
            });
            const code = await main(
                argv,
                (text) => (stdout += text),
                (text) => (stderr += text),
            );
            return { code, stdout, stderr };
        }

        it("exits 0 and prints the table when every check passes", async () => {
            const result = await verify(["--outputs", outputsFile]);
            assert.strictEqual(result.code, 0, result.stdout);
            assert.match(result.stdout, /^result {2}check/);
            assert.match(result.stdout, /\nPASS {4}Lambda api-fn architecture +arm64\n/);
            assert.match(result.stdout, /\nverify: all 13 checks passed\n$/);
            assert.strictEqual(result.stderr, "");
        });

        it("exits 1 when a check fails, and says how many", async () => {
            lambdaMock.on(GetFunctionConfigurationCommand).resolves({ Architectures: ["x86_64"] });
            const result = await verify(["--outputs", outputsFile]);
            assert.strictEqual(result.code, 1);
            assert.match(result.stdout, /\nFAIL {4}Lambda api-fn architecture +Architectures is \[x86_64\]/);
            assert.match(result.stdout, /\nverify: 1 of 13 checks failed\n$/);
        });

        it("exits 2 naming --outputs when the file cannot be read or is not JSON", async () => {
            const missing = await verify(["--outputs", path.join(dir, "absent.json")]);
            assert.strictEqual(missing.code, 2);
            assert.match(missing.stderr, /^error: --outputs: cannot read .*absent\.json: ENOENT/);
            fs.writeFileSync(outputsFile, "not json");
            const garbled = await verify(["--outputs", outputsFile]);
            assert.strictEqual(garbled.code, 2);
            assert.match(garbled.stderr, /^error: --outputs: .*outputs\.json is not JSON/);
            assert.strictEqual(garbled.stdout, "");
        });
    });
});

describe("verify: inputs and output", () => {
    const registry = fakeRegistry();

    it("reads pulumi's JSON outputs, App Runner optional", () => {
        const raw = JSON.parse(JSON.stringify(outputsFor(registry, { appRunnerUrl: undefined }))) as Record<
            string,
            unknown
        >;
        assert.strictEqual(parseStackOutputs(raw).appRunnerUrl, undefined);
        assert.strictEqual(
            parseStackOutputs({ ...raw, appRunnerUrl: "https://x.awsapprunner.com" }).appRunnerUrl,
            "https://x.awsapprunner.com",
        );
    });

    it("names the output that is missing or malformed", () => {
        const raw = JSON.parse(JSON.stringify(outputsFor(registry))) as Record<string, unknown>;
        delete raw.arm64Ref;
        assert.throws(
            () => parseStackOutputs(raw),
            /stack output "arm64Ref" must be a non-empty string, got undefined/,
        );
        assert.throws(
            () => parseStackOutputs({ ...outputsFor(registry), serviceNames: { x86: "a" } }),
            /"serviceNames.arm64"/,
        );
    });

    it("splits image references into registry, repository and digest or tag", () => {
        assert.deepStrictEqual(parseImageRef(`${REGISTRY}/${REPOSITORY}@${registry.indexDigest}`), {
            registry: REGISTRY,
            repository: REPOSITORY,
            digest: registry.indexDigest,
            tag: undefined,
        });
        assert.deepStrictEqual(parseImageRef("127.0.0.1:5000/stand-in/node:18"), {
            registry: "127.0.0.1:5000",
            repository: "stand-in/node",
            digest: undefined,
            tag: "18",
        });
        assert.throws(() => parseImageRef(`${REGISTRY}/${REPOSITORY}@sha256:abc`), /malformed digest/);
    });

    it("explains a missing pulumi CLI and points at --outputs", () => {
        const missing = Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
        assert.throws(
            () => readStackOutputs("dev", () => ({ status: null, stdout: "", stderr: "", error: missing })),
            /pulumi CLI not found on PATH: install it, or pass --outputs <file.json>/,
        );
        assert.throws(
            () =>
                readStackOutputs("dev", () => ({
                    status: 255,
                    stdout: "",
                    stderr: "error: no stack named 'dev' found",
                })),
            /no stack named 'dev'/,
        );
    });

    it("takes --stack or --outputs, not both, not neither", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev"]), { help: false, stack: "dev" });
        assert.deepStrictEqual(parseArgs(["--outputs=out.json"]), { help: false, outputsFile: "out.json" });
        assert.throws(() => parseArgs([]), /say which deployment to check/);
        assert.throws(() => parseArgs(["--stack", "a", "--outputs", "b"]), /not both/);
        assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
    });

    it("prints one aligned row per check", () => {
        assert.strictEqual(
            formatTable([
                { name: "a", ok: true, detail: "fine" },
                { name: "longer name", ok: false, detail: "broken" },
            ]),
            [
                "result  check        detail",
                "------  -----------  ------",
                "PASS    a            fine",
                "FAIL    longer name  broken",
            ].join("\n"),
        );
    });
});
