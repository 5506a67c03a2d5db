import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { appRunnerServiceDefaults } from "../components/appRunnerService";
import { armLambdaDefaults } from "../components/armLambda";
import { eksGravitonDefaults } from "../components/eksGraviton";
import { expressModeServiceDefaults } from "../components/expressModeService";
import { fargateServicePairDefaults } from "../components/fargateServicePair";
import { networkDefaults } from "../components/network";
import { configWarnings, parseStackConfig } from "../config";
import { ConfigOverrides, runProgram, runProgramExpectingError, stackConfig } from "./harness";

interface BadValueCase {
    /** Config key without the project prefix, as a user would pass to `pulumi config set --path`. */
    key: string;
    value: unknown;
    /** Text the error must contain besides the full key: what is allowed. */
    allowed: RegExp;
    /** Other settings the case needs (e.g. a VPC id for subnet checks). */
    with?: ConfigOverrides;
    /** What the error shows as the bad value, when that is not `value` (a number tag value is shown as text). */
    shown?: string;
}

const ns = "graviton-multiarch";

// One wrong-typed and one out-of-range value for every key the program reads.
const badValues: BadValueCase[] = [
    { key: "service.cpu", value: "lots", allowed: /expected one of 256, 512, 1024, 2048, 4096, 8192, 16384/ },
    { key: "service.cpu", value: 300, allowed: /expected one of 256, 512, 1024, 2048, 4096, 8192, 16384/ },
    { key: "service.memory", value: true, allowed: /expected a whole number from 512 to 122880/ },
    {
        key: "service.memory",
        value: 4096,
        allowed: /cpu 256 allowed memory is 512, 1024, 2048/,
        with: { [`${ns}:service.cpu`]: 256 },
    },
    { key: "service.memory", value: 200000, allowed: /expected a whole number from 512 to 122880/ },
    { key: "service.x86DesiredCount", value: "two", allowed: /expected a whole number from 0 to 100/ },
    { key: "service.x86DesiredCount", value: -1, allowed: /expected a whole number from 0 to 100/ },
    { key: "service.armDesiredCount", value: [1], allowed: /expected a whole number from 0 to 100/ },
    { key: "service.armDesiredCount", value: 101, allowed: /expected a whole number from 0 to 100/ },
    { key: "service.maxCountPerArch", value: "many", allowed: /expected a whole number from 1 to 100/ },
    { key: "service.maxCountPerArch", value: 0, allowed: /expected a whole number from 1 to 100/ },
    { key: "service.armTrafficPercent", value: "half", allowed: /expected a whole number from 0 to 100/ },
    { key: "service.armTrafficPercent", value: 150, allowed: /expected a whole number from 0 to 100/ },
    { key: "service.armTrafficPercent", value: 12.5, allowed: /expected a whole number from 0 to 100/ },
    { key: "service.scaleOnCpuPercent", value: { target: 60 }, allowed: /expected a whole number from 10 to 90/ },
    { key: "service.scaleOnCpuPercent", value: 95, allowed: /expected a whole number from 10 to 90/ },
    { key: "service.containerPort", value: "http", allowed: /expected a whole number from 1024 to 65535/ },
    { key: "service.containerPort", value: 80, allowed: /expected a whole number from 1024 to 65535/ },
    { key: "service.listenerPort", value: false, allowed: /expected a whole number from 1 to 65535/ },
    { key: "service.listenerPort", value: 70000, allowed: /expected a whole number from 1 to 65535/ },
    { key: "service.logRetentionDays", value: "week", allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "service.logRetentionDays", value: 8, allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "service.containerInsights", value: "maybe", allowed: /expected true or false/ },
    { key: "service.containerInsights", value: 2, allowed: /expected true or false/ },
    { key: "service.certificateArn", value: 17, allowed: /expected an ACM certificate ARN like arn:aws:acm:/ },
    {
        key: "service.certificateArn",
        value: "arn:aws:iam::123456789012:server-certificate/web",
        allowed: /expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate\//,
    },
    {
        key: "service.certificateArn",
        value: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        allowed: /the certificate is in eu-west-1, but the stack's load balancer is in aws:region us-east-1/,
    },
    {
        key: "service.certificateArn",
        value: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        allowed: /cannot be set together with domainName/,
        with: { [`${ns}:service.domainName`]: "app.example.com", [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
    },
    { key: "service.domainName", value: "App.Example.com", allowed: /expected a lower-case DNS name/ },
    { key: "service.domainName", value: "localhost", allowed: /expected a lower-case DNS name like app.example.com/ },
    {
        key: "service.hostedZoneId",
        value: undefined,
        allowed: /is required when domainName is set/,
        with: { [`${ns}:service.domainName`]: "app.example.com" },
    },
    {
        key: "service.domainName",
        value: undefined,
        allowed: /is required when hostedZoneId is set/,
        with: { [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
    },
    { key: "service.hostedZoneId", value: "example.com", allowed: /expected a Route 53 hosted zone id like Z/ },
    { key: "service.publicHostname", value: "App.Example.com", allowed: /expected a lower-case DNS name/ },
    {
        key: "service.publicHostname",
        value: "app.example.com",
        allowed: /is the host a certificate of your own covers: set certificateArn too/,
    },
    {
        key: "service.publicHostname",
        value: "www.example.com",
        allowed: /cannot be set together with domainName: the URL then names domainName/,
        with: { [`${ns}:service.domainName`]: "app.example.com", [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
    },
    {
        key: "service.listenerPort",
        value: 443,
        allowed: /must not be 443 with HTTPS: the HTTPS listener takes port 443/,
        with: {
            [`${ns}:service.certificateArn`]:
                "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        },
    },
    { key: "service.armSpot", value: "spot", allowed: /expected true or false/ },
    { key: "service.armSpotOnDemandBase", value: -1, allowed: /expected a whole number from 0 to 100/ },
    {
        key: "service.armSpotOnDemandBase",
        value: 1,
        allowed: /is only used with armSpot: set armSpot to true/,
        with: { [`${ns}:service.armSpot`]: false },
    },
    { key: "expressMode.enabled", value: "on", allowed: /expected true or false/ },
    { key: "expressMode.cpu", value: 8192, allowed: /expected one of 256, 512, 1024, 2048, 4096$/ },
    { key: "expressMode.memory", value: 16384, allowed: /expected a whole number from 512 to 8192/ },
    {
        key: "expressMode.memory",
        value: 8192,
        allowed:
            /ECS Express Mode has no task size with cpu 256 and memory 8192; with cpu 256 allowed memory is 512, 1024, 2048/,
        with: { [`${ns}:expressMode.cpu`]: 256 },
    },
    { key: "lambda.memoryMb", value: "big", allowed: /expected a whole number from 128 to 10240/ },
    { key: "lambda.memoryMb", value: 64, allowed: /expected a whole number from 128 to 10240/ },
    { key: "lambda.memoryMb", value: 10241, allowed: /expected a whole number from 128 to 10240/ },
    { key: "lambda.timeoutSeconds", value: "1m", allowed: /expected a whole number from 1 to 900/ },
    { key: "lambda.timeoutSeconds", value: 0, allowed: /expected a whole number from 1 to 900/ },
    { key: "lambda.timeoutSeconds", value: 901, allowed: /expected a whole number from 1 to 900/ },
    { key: "lambda.urlAuthType", value: 3, allowed: /expected one of AWS_IAM, NONE/ },
    { key: "lambda.urlAuthType", value: "PUBLIC", allowed: /expected one of AWS_IAM, NONE/ },
    { key: "lambda.logRetentionDays", value: "forever", allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "lambda.logRetentionDays", value: 10, allowed: /expected one of 1, 3, 5, 7, 14/ },
    { key: "appRunner.enabled", value: "yes", allowed: /expected true or false/ },
    { key: "appRunner.enabled", value: 1, allowed: /expected true or false/ },
    { key: "appRunner.cpu", value: "fast", allowed: /expected one of 256, 512, 1024, 2048, 4096/ },
    { key: "appRunner.cpu", value: 8192, allowed: /expected one of 256, 512, 1024, 2048, 4096/ },
    { key: "appRunner.memory", value: "2GB", allowed: /expected a whole number from 512 to 12288/ },
    {
        key: "appRunner.memory",
        value: 3072,
        allowed: /cpu 256 allowed memory is 512, 1024/,
        with: { [`${ns}:appRunner.cpu`]: 256 },
    },
    { key: "eks.enabled", value: "on", allowed: /expected true or false/ },
    { key: "eks.enabled", value: 1, allowed: /expected true or false/ },
    {
        key: "eks.kubernetesVersion",
        value: 1.3,
        allowed: /expected a Kubernetes version as text, like "1\.36" \(quoted in YAML\)/,
    },
    { key: "eks.kubernetesVersion", value: "v1.36", allowed: /written 1\.<minor>, like 1\.36/ },
    { key: "eks.instanceTypes", value: "t4g.medium", allowed: /expected a list of EC2 instance type names/ },
    { key: "eks.instanceTypes", value: [], allowed: /expected at least one Graviton \(arm64\) instance type/ },
    { key: "eks.instanceTypes", value: ["t3.medium"], allowed: /t3\.medium is x86_64: expected arm64 \(Graviton\)/ },
    {
        key: "eks.instanceTypes",
        value: ["q9g.large"],
        allowed: /q9g\.large is not of an instance family the pack knows/,
    },
    { key: "eks.minSize", value: "one", allowed: /expected a whole number from 0 to 100/ },
    { key: "eks.minSize", value: -1, allowed: /expected a whole number from 0 to 100/ },
    { key: "eks.desiredSize", value: true, allowed: /expected a whole number from 1 to 100/ },
    { key: "eks.desiredSize", value: 0, allowed: /expected a whole number from 1 to 100/ },
    { key: "eks.maxSize", value: "3 nodes", allowed: /expected a whole number from 1 to 100/ },
    { key: "eks.maxSize", value: 1, allowed: /must be at least desiredSize \(2\)/ },
    { key: "eks.replicas", value: 2.5, allowed: /expected a whole number from 1 to 100/ },
    { key: "eks.replicas", value: 0, allowed: /expected a whole number from 1 to 100/ },
    { key: "eks.controlPlaneLogging", value: "all", allowed: /expected true or false/ },
    { key: "eks.controlPlaneLogging", value: 5, allowed: /expected true or false/ },
    { key: "eks.logRetentionDays", value: "month", allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "eks.logRetentionDays", value: 31, allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "network.vpcId", value: 42, allowed: /expected a VPC id like vpc-0123abcd/ },
    { key: "network.vpcId", value: "vpc-xyz", allowed: /VPC id like vpc-0123abcd/, with: subnets() },
    {
        key: "network.publicSubnetIds",
        value: "subnet-0123abcd",
        allowed: /expected a list of at least two subnet ids/,
        with: { [`${ns}:network.vpcId`]: "vpc-0123abcd" },
    },
    {
        key: "network.publicSubnetIds",
        value: ["subnet-0123abcd"],
        allowed: /expected a list of at least two subnet ids/,
        with: {
            [`${ns}:network.vpcId`]: "vpc-0123abcd",
            [`${ns}:network.privateSubnetIds`]: ["subnet-0123abce", "subnet-0123abcf"],
        },
    },
    {
        key: "network.privateSubnetIds",
        value: { a: 1 },
        allowed: /expected a list of at least two subnet ids/,
        with: { [`${ns}:network.vpcId`]: "vpc-0123abcd" },
    },
    {
        key: "network.privateSubnetIds",
        value: undefined,
        allowed: /required when vpcId is set/,
        with: {
            [`${ns}:network.vpcId`]: "vpc-0123abcd",
            [`${ns}:network.publicSubnetIds`]: ["subnet-0123abce", "subnet-0123abcf"],
        },
    },
    { key: "network.cidrBlock", value: 10, allowed: /CIDR block from \/16 to \/24/ },
    { key: "network.cidrBlock", value: "10.0.0.0/8", allowed: /CIDR block from \/16 to \/24/ },
    { key: "network.natGateways", value: 2, allowed: /expected one of Single, OnePerAz/ },
    { key: "network.natGateways", value: "Three", allowed: /expected one of Single, OnePerAz/ },
    { key: "image.arm64Builder", value: 7, allowed: /expected a buildx builder name: letters, digits/ },
    { key: "image.amd64Builder", value: "my builder!", allowed: /buildx builder name/ },
    { key: "iam.permissionsBoundaryArn", value: 42, allowed: /expected the ARN of an IAM managed policy/ },
    {
        key: "iam.permissionsBoundaryArn",
        value: "arn:aws:iam::123456789012:role/graviton-multiarch/dev/boundary",
        allowed: /expected the ARN of an IAM managed policy, like the bootstrap's permissionsBoundaryArn output/,
    },
    { key: "tags", value: "team=platform", allowed: /expected a map of tag names to values/ },
    {
        key: "tags.aws:owner",
        value: "me",
        allowed: /the tag key aws:owner is reserved: keys starting with aws: belong to AWS/,
    },
    {
        key: "tags.project",
        value: "other",
        allowed:
            /the tag key project is reserved: the program sets project, stack, managed-by on every resource itself/,
    },
    // IAM tag keys ignore case: Project would duplicate the program's project tag on every role.
    {
        key: "tags.Project",
        value: "other",
        allowed: /the tag key Project is reserved: .* and AWS IAM tag keys ignore case/,
    },
    { key: "tags.STACK", value: 7, allowed: /the tag key STACK is reserved/, shown: '"7"' },
    { key: `tags.${"k".repeat(129)}`, value: "x", allowed: /expected a tag key of 1 to 128 characters, got 129/ },
    {
        key: "tags.Team",
        value: "web",
        allowed: /differs only in case from tag team, and AWS IAM tag keys ignore case/,
        with: { [`${ns}:tags.team`]: "platform" },
    },
    { key: "tags.team", value: "x".repeat(257), allowed: /expected a tag value of at most 256 characters/ },
    { key: "tags.team", value: ["platform"], allowed: /expected a text, number or boolean tag value/ },
    // CloudWatch refuses an alarm action on a topic of another region, and the deploy role allows none there.
    {
        key: "monitoring.alarmTopicArn",
        value: "arn:aws:sns:eu-west-1:123456789012:ops-alarms",
        allowed:
            /the topic is in eu-west-1, but the stack's alarms are in aws:region us-east-1; use a topic in us-east-1/,
    },
    { key: "protect", value: "sometimes", allowed: /expected true or false/ },
    { key: "protect", value: 0, allowed: /expected true or false/ },
];

function subnets(): ConfigOverrides {
    return {
        [`${ns}:network.publicSubnetIds`]: ["subnet-0123abcd", "subnet-0123abce"],
        [`${ns}:network.privateSubnetIds`]: ["subnet-0123abcf", "subnet-0123abd0"],
    };
}

describe("stack configuration", () => {
    for (const stack of ["dev", "prod"]) {
        it(`loads the ${stack} stack and registers resources`, async () => {
            const run = await runProgram(stack);
            assert.ok(run.resources.length > 0, "nothing was registered");
            assert.strictEqual(run.outputs.region, "us-east-1");
        });
    }

    describe("rejects bad values, naming the key, before registering anything", () => {
        for (const badCase of badValues) {
            const fullKey = `${ns}:${badCase.key}`;
            it(`${fullKey} = ${JSON.stringify(badCase.value)?.slice(0, 40)}`, async () => {
                const { error, resources } = await runProgramExpectingError("dev", {
                    config: { ...badCase.with, [fullKey]: badCase.value },
                });
                const line = error.message.split("\n").find((text) => text.includes(`${fullKey} `));
                assert.ok(line, `the error does not name ${fullKey}:\n${error.message}`);
                const shown =
                    badCase.shown ?? (badCase.value === undefined ? "missing" : JSON.stringify(badCase.value));
                assert.ok(line.includes(`= ${shown}:`), `the error does not show the bad value: ${line}`);
                assert.match(line, badCase.allowed);
                assert.deepStrictEqual(
                    resources.map((resource) => resource.type),
                    [],
                );
            });
        }
    });

    it("names the stack file the problems are in", async () => {
        const { error } = await runProgramExpectingError("prod", { config: { [`${ns}:service.cpu`]: 300 } });
        assert.match(error.message, /^Invalid configuration in Pulumi\.prod\.yaml \(stack "prod"\):\n/);
    });

    it("rejects a misspelt key, suggesting the setting it was likely meant to be", async () => {
        const { error, resources } = await runProgramExpectingError("dev", { config: { [`${ns}:service.cpus`]: 512 } });
        assert.match(
            error.message,
            /graviton-multiarch:service\.cpus = 512: is not a known setting; did you mean graviton-multiarch:service\.cpu\?/,
        );
        assert.strictEqual(resources.length, 0);
    });

    it("rejects an unknown top-level key, suggesting the likely one or listing them all", () => {
        const fails = (config: ConfigOverrides) => () => parseStackConfig(stackConfig("dev", config), "dev");
        assert.throws(
            fails({ [`${ns}:servcie`]: { cpu: 512 } }),
            /graviton-multiarch:servcie = \{"cpu":512\}: is not a known setting; did you mean graviton-multiarch:service\?/,
        );
        assert.throws(
            fails({ [`${ns}:database`]: "big" }),
            /graviton-multiarch:database = "big": is not a known setting; graviton-multiarch takes service, lambda, appRunner, eks, expressMode, network, image, iam, monitoring, tags, protect; see docs\/configuration\.md/,
        );
    });

    it("says to use --path for a setting written as one flat key", () => {
        // `pulumi config set service.cpu 512` without --path stores the dotted name as a key of its own.
        const raw = { ...stackConfig("dev"), [`${ns}:service.cpu`]: "512" };
        assert.throws(
            () => parseStackConfig(raw, "dev"),
            /graviton-multiarch:service\.cpu = 512: is not a known setting; to set cpu inside service, use `pulumi config set --path service\.cpu <value>`/,
        );
    });

    it("rejects a key in a namespace that looks like a misspelling of one it reads, naming the key meant", async () => {
        for (const [key, value, meant] of [
            ["gravitonmultiarch:protect", false, "graviton-multiarch:protect"],
            ["graviton-multiarc:service.cpu", 512, "graviton-multiarch:service"],
            ["Graviton-Multiarch:protect", false, "graviton-multiarch:protect"],
            ["asw:region", "us-east-1", "aws:region"],
        ] as const) {
            const { error, resources } = await runProgramExpectingError("dev", { config: { [key]: value } });
            const fullKey = key.split(".")[0];
            assert.ok(
                error.message.includes(`${fullKey} = ${JSON.stringify(key.includes(".") ? { cpu: value } : value)}: `),
                error.message,
            );
            assert.ok(error.message.includes(`; did you mean ${meant}?`), error.message);
            assert.strictEqual(resources.length, 0);
        }
    });

    it("requires aws:region and checks its form", async () => {
        const missing = await runProgramExpectingError("dev", { config: { "aws:region": undefined } });
        assert.match(missing.error.message, /aws:region is not set/);
        const wrong = await runProgramExpectingError("dev", { config: { "aws:region": "mars-north" } });
        assert.match(wrong.error.message, /aws:region = "mars-north": expected an AWS region name like us-east-1/);
        assert.strictEqual(wrong.resources.length, 0);
    });

    it("names the stack file, line and column of a YAML syntax error in it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
        try {
            const text =
                "config:\n  aws:region: us-east-1\n  graviton-multiarch:service:\n    cpu: 512\n   memory: 1024\n";
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
            assert.throws(
                () => stackConfig("dev", {}, dir),
                /Pulumi\.dev\.yaml, line 5, column 1: All mapping items must start at the same column:\n/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reports a misspelt aws:region as such, not as a missing region", async () => {
        const { error } = await runProgramExpectingError("dev", {
            config: { "aws:region": undefined, "aws:regoin": "us-east-1" },
        });
        assert.match(error.message, /aws:regoin = "us-east-1": is not a known setting; did you mean aws:region\?/);
        assert.doesNotMatch(error.message, /aws:region is not set/);
    });

    it("rejects weight sent to an architecture that runs no tasks", async () => {
        const { error } = await runProgramExpectingError("dev", {
            config: { [`${ns}:service.armDesiredCount`]: 0, [`${ns}:service.armTrafficPercent`]: 20 },
        });
        assert.match(
            error.message,
            /graviton-multiarch:service\.armDesiredCount = 0: must be at least 1 while armTrafficPercent is 20/,
        );
    });

    it("rejects a desired count above the autoscaling maximum", async () => {
        const { error } = await runProgramExpectingError("dev", {
            config: { [`${ns}:service.x86DesiredCount`]: 5, [`${ns}:service.maxCountPerArch`]: 3 },
        });
        assert.match(
            error.message,
            /graviton-multiarch:service\.maxCountPerArch = 3: must be at least x86DesiredCount \(5\)/,
        );
    });

    it("lists every problem at once", () => {
        const raw = stackConfig("dev", { [`${ns}:service.cpu`]: 3, [`${ns}:lambda.timeoutSeconds`]: 1000 });
        assert.throws(
            () => parseStackConfig(raw, "dev"),
            (error: Error) => {
                assert.match(error.message, /graviton-multiarch:service\.cpu = 3/);
                assert.match(error.message, /graviton-multiarch:lambda\.timeoutSeconds = 1000/);
                return true;
            },
        );
    });

    it("reads numbers and booleans that `pulumi config set --path` stored as strings", () => {
        const parsed = parseStackConfig(
            stackConfig("dev", {
                [`${ns}:service.cpu`]: "512",
                [`${ns}:service.memory`]: "1024",
                [`${ns}:appRunner.enabled`]: "false",
            }),
            "dev",
        );
        assert.strictEqual(parsed.service.cpu, 512);
        assert.strictEqual(parsed.service.memory, 1024);
        assert.strictEqual(parsed.appRunner.enabled, false);
    });

    it("gives AWS a numeric or boolean tag value as the text AWS tags are", async () => {
        // `pulumi config set --path tags.costCenter 4711` writes the number 4711 (Pulumi CLI reference).
        const run = await runProgram("dev", {
            config: { [`${ns}:tags.costCenter`]: 4711, [`${ns}:tags.billable`]: true },
        });
        // Provider inputs reach the engine as JSON text, as the Node SDK serialises provider config.
        const provider = run.one<{ defaultTags: string }>("pulumi:providers:aws");
        const { tags } = JSON.parse(provider.inputs.defaultTags) as { tags: Record<string, unknown> };
        assert.strictEqual(tags.costCenter, "4711");
        assert.strictEqual(tags.billable, "true");
    });

    it("warns about a config key in a namespace nothing reads and no misspelling of one", () => {
        const warnings = configWarnings({
            ...stackConfig("dev"),
            "aws:region": "us-east-1",
            "aws:profile": "dev",
            "docker-build:host": "unix:///var/run/docker.sock",
            "pulumi:tags": "{}",
            "kubernetes:context": "dev",
        });
        assert.deepStrictEqual(warnings, [
            "config key kubernetes:context is not read by this program (it reads graviton-multiarch:, aws:, awsx:, " +
                "docker-build:, pulumi:)",
        ]);
        assert.deepStrictEqual(configWarnings(stackConfig("prod")), []);
    });

    it("runs both stacks as their stack files say without a single warning", async () => {
        const logged: string[] = [];
        const original = pulumi.log.warn;
        pulumi.log.warn = async (message: string) => void logged.push(message);
        try {
            await runProgram("dev");
            await runProgram("prod");
        } finally {
            pulumi.log.warn = original;
        }
        assert.deepStrictEqual(logged, []);
    });

    it("prints that warning when the program runs, and still runs", async () => {
        const logged: string[] = [];
        const original = pulumi.log.warn;
        pulumi.log.warn = async (message: string) => void logged.push(message);
        try {
            await runProgram("dev", { config: { "kubernetes:context": "dev" } });
        } finally {
            pulumi.log.warn = original;
        }
        assert.deepStrictEqual(logged.filter((message) => message.includes("kubernetes:context")).length, 1);
    });

    it("fills every default a stack leaves out from the component that uses it", () => {
        const parsed = parseStackConfig({ "aws:region": "eu-west-1" }, "scratch");
        // The port is service.containerPort's for every runtime, not a setting of each.
        const without = (defaults: object, key: string) =>
            Object.fromEntries(Object.entries(defaults).filter(([name]) => name !== key));
        const sizeOf = ({ cpu, memory }: { cpu: number; memory: number }) => ({ cpu, memory });
        assert.deepStrictEqual(parsed.service, fargateServicePairDefaults);
        assert.deepStrictEqual(parsed.lambda, without(armLambdaDefaults, "appPort"));
        assert.deepStrictEqual(parsed.appRunner, { enabled: false, ...sizeOf(appRunnerServiceDefaults) });
        assert.deepStrictEqual(parsed.eks, { enabled: false, ...without(eksGravitonDefaults, "containerPort") });
        assert.deepStrictEqual(parsed.expressMode, { enabled: false, ...sizeOf(expressModeServiceDefaults) });
        assert.deepStrictEqual(parsed.network, networkDefaults);
        assert.deepStrictEqual([parsed.protect, parsed.tags], [true, {}]);
    });

    it("accepts an existing VPC with its subnets", () => {
        const parsed = parseStackConfig(
            stackConfig("dev", { [`${ns}:network.vpcId`]: "vpc-0123abcd", ...subnets() }),
            "dev",
        );
        assert.strictEqual(parsed.network.vpcId, "vpc-0123abcd");
        assert.deepStrictEqual(parsed.network.privateSubnetIds, ["subnet-0123abcf", "subnet-0123abd0"]);
    });

    it("keeps dev cheap and gives prod two tasks per architecture and larger sizes", () => {
        const dev = parseStackConfig(stackConfig("dev"), "dev");
        const prod = parseStackConfig(stackConfig("prod"), "prod");
        assert.ok(prod.service.x86DesiredCount >= 2 && prod.service.armDesiredCount >= 2);
        assert.ok(prod.service.cpu > dev.service.cpu && prod.service.memory > dev.service.memory);
        assert.ok(prod.lambda.memoryMb > dev.lambda.memoryMb);
        assert.strictEqual(prod.protect, true);
        assert.strictEqual(dev.protect, false);
        assert.strictEqual(prod.lambda.urlAuthType, "AWS_IAM");
        assert.strictEqual(prod.network.natGateways, "OnePerAz");
        assert.strictEqual(dev.network.natGateways, "Single");
        // A cluster costs $0.10 an hour before any node: off in both; prod keeps its control-plane logs if turned on.
        assert.deepStrictEqual([dev.eks.enabled, prod.eks.enabled], [false, false]);
        assert.deepStrictEqual([prod.eks.controlPlaneLogging, prod.eks.logRetentionDays], [true, 30]);
        assert.strictEqual(dev.eks.controlPlaneLogging, false);
    });
});
