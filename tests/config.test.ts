import * as assert from "assert";
import { parseStackConfig } from "../config";
import { ConfigOverrides, runProgram, runProgramExpectingError, stackConfig } from "./harness";

interface BadValueCase {
    /** Config key without the project prefix, as a user would pass to `pulumi config set --path`. */
    key: string;
    value: unknown;
    /** Text the error must contain besides the full key: what is allowed. */
    allowed: RegExp;
    /** Other settings the case needs (e.g. a VPC id for subnet checks). */
    with?: ConfigOverrides;
    /** What the error shows as the bad value, when that is not `value` (a bad tag name shows the name). */
    shown?: string;
}

const ns = "graviton-multiarch";

// One wrong-typed and one out-of-range value for every key the program reads.
const badValues: BadValueCase[] = [
    { key: "service.cpu", value: "lots", allowed: /expected number/ },
    { key: "service.cpu", value: 300, allowed: /expected one of 256, 512, 1024, 2048, 4096, 8192, 16384/ },
    { key: "service.memory", value: true, allowed: /expected number/ },
    {
        key: "service.memory",
        value: 4096,
        allowed: /cpu 256 allowed memory is 512, 1024, 2048/,
        with: { [`${ns}:service.cpu`]: 256 },
    },
    { key: "service.memory", value: 200000, allowed: /<=122880/ },
    { key: "service.x86DesiredCount", value: "two", allowed: /expected number/ },
    { key: "service.x86DesiredCount", value: -1, allowed: />=0/ },
    { key: "service.armDesiredCount", value: [1], allowed: /expected number/ },
    { key: "service.armDesiredCount", value: 101, allowed: /<=100/ },
    { key: "service.maxCountPerArch", value: "many", allowed: /expected number/ },
    { key: "service.maxCountPerArch", value: 0, allowed: />=1/ },
    { key: "service.armTrafficPercent", value: "half", allowed: /expected number/ },
    { key: "service.armTrafficPercent", value: 150, allowed: /<=100/ },
    { key: "service.armTrafficPercent", value: 12.5, allowed: /expected int/ },
    { key: "service.scaleOnCpuPercent", value: { target: 60 }, allowed: /expected number/ },
    { key: "service.scaleOnCpuPercent", value: 95, allowed: /<=90/ },
    { key: "service.containerPort", value: "http", allowed: /expected number/ },
    { key: "service.containerPort", value: 80, allowed: />=1024/ },
    { key: "service.listenerPort", value: false, allowed: /expected number/ },
    { key: "service.listenerPort", value: 70000, allowed: /<=65535/ },
    { key: "service.logRetentionDays", value: "week", allowed: /expected number/ },
    { key: "service.logRetentionDays", value: 8, allowed: /expected one of 1, 3, 5, 7, 14, 30/ },
    { key: "service.containerInsights", value: "maybe", allowed: /expected boolean/ },
    { key: "service.containerInsights", value: 2, allowed: /expected boolean/ },
    { key: "lambda.memoryMb", value: "big", allowed: /expected number/ },
    { key: "lambda.memoryMb", value: 64, allowed: />=128/ },
    { key: "lambda.memoryMb", value: 10241, allowed: /<=10240/ },
    { key: "lambda.timeoutSeconds", value: "1m", allowed: /expected number/ },
    { key: "lambda.timeoutSeconds", value: 0, allowed: />=1/ },
    { key: "lambda.timeoutSeconds", value: 901, allowed: /<=900/ },
    { key: "lambda.urlAuthType", value: 3, allowed: /expected one of "AWS_IAM"\|"NONE"/ },
    { key: "lambda.urlAuthType", value: "PUBLIC", allowed: /expected one of "AWS_IAM"\|"NONE"/ },
    { key: "lambda.logRetentionDays", value: "forever", allowed: /expected number/ },
    { key: "lambda.logRetentionDays", value: 10, allowed: /expected one of 1, 3, 5, 7, 14/ },
    { key: "appRunner.enabled", value: "yes", allowed: /expected boolean/ },
    { key: "appRunner.enabled", value: 1, allowed: /expected boolean/ },
    { key: "appRunner.cpu", value: "fast", allowed: /expected number/ },
    { key: "appRunner.cpu", value: 8192, allowed: /expected one of 256, 512, 1024, 2048, 4096/ },
    { key: "appRunner.memory", value: "2GB", allowed: /expected number/ },
    {
        key: "appRunner.memory",
        value: 3072,
        allowed: /cpu 256 allowed memory is 512, 1024/,
        with: { [`${ns}:appRunner.cpu`]: 256 },
    },
    { key: "network.vpcId", value: 42, allowed: /expected string/ },
    { key: "network.vpcId", value: "vpc-xyz", allowed: /VPC id like vpc-0123abcd/, with: subnets() },
    {
        key: "network.publicSubnetIds",
        value: "subnet-0123abcd",
        allowed: /expected array/,
        with: { [`${ns}:network.vpcId`]: "vpc-0123abcd" },
    },
    {
        key: "network.publicSubnetIds",
        value: ["subnet-0123abcd"],
        allowed: />=2 items/,
        with: {
            [`${ns}:network.vpcId`]: "vpc-0123abcd",
            [`${ns}:network.privateSubnetIds`]: ["subnet-0123abce", "subnet-0123abcf"],
        },
    },
    {
        key: "network.privateSubnetIds",
        value: { a: 1 },
        allowed: /expected array/,
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
    { key: "network.cidrBlock", value: 10, allowed: /expected string/ },
    { key: "network.cidrBlock", value: "10.0.0.0/8", allowed: /CIDR block from \/16 to \/24/ },
    { key: "network.natGateways", value: 2, allowed: /expected one of "Single"\|"OnePerAz"/ },
    { key: "network.natGateways", value: "Three", allowed: /expected one of "Single"\|"OnePerAz"/ },
    { key: "image.arm64Builder", value: 7, allowed: /expected string/ },
    { key: "image.amd64Builder", value: "my builder!", allowed: /buildx builder name/ },
    { key: "tags", value: "team=platform", allowed: /expected record/ },
    { key: "tags.aws:owner", value: "me", shown: '"aws:owner"', allowed: /reserved by AWS/ },
    { key: "tags.team", value: "x".repeat(257), allowed: /<=256 characters/ },
    { key: "protect", value: "sometimes", allowed: /expected boolean/ },
    { key: "protect", value: 0, allowed: /expected boolean/ },
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

    it("rejects a misspelt key and says it is unknown", async () => {
        const { error, resources } = await runProgramExpectingError("dev", { config: { [`${ns}:service.cpus`]: 512 } });
        assert.match(error.message, /graviton-multiarch:service\.cpus is not a known setting/);
        assert.strictEqual(resources.length, 0);
    });

    it("rejects an unknown top-level key", async () => {
        const { error } = await runProgramExpectingError("dev", { config: { [`${ns}:servcie`]: { cpu: 512 } } });
        assert.match(error.message, /graviton-multiarch:servcie is not a known setting/);
    });

    it("requires aws:region and checks its form", async () => {
        const missing = await runProgramExpectingError("dev", { config: { "aws:region": undefined } });
        assert.match(missing.error.message, /aws:region is not set/);
        const wrong = await runProgramExpectingError("dev", { config: { "aws:region": "mars-north" } });
        assert.match(wrong.error.message, /aws:region = "mars-north": expected an AWS region name like us-east-1/);
        assert.strictEqual(wrong.resources.length, 0);
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

    it("fills defaults for everything a stack leaves out", () => {
        const parsed = parseStackConfig({ "aws:region": "eu-west-1" }, "scratch");
        assert.deepStrictEqual(parsed.service, {
            cpu: 256,
            memory: 512,
            x86DesiredCount: 1,
            armDesiredCount: 1,
            maxCountPerArch: 4,
            armTrafficPercent: 50,
            scaleOnCpuPercent: 60,
            containerPort: 8080,
            listenerPort: 80,
            logRetentionDays: 7,
            containerInsights: false,
        });
        assert.deepStrictEqual(parsed.lambda, {
            memoryMb: 512,
            timeoutSeconds: 30,
            urlAuthType: "AWS_IAM",
            logRetentionDays: 7,
        });
        assert.deepStrictEqual(parsed.appRunner, { enabled: false, cpu: 1024, memory: 2048 });
        assert.strictEqual(parsed.protect, true);
        assert.strictEqual(parsed.network.natGateways, "Single");
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
    });
});
