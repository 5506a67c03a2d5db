// Each rule on a value has one wording: a bad value gets the same message from the stack config as from the
// component that takes it, since both check it with the component's own rule (components/rules.ts).
import * as assert from "assert";
import { AppRunnerService } from "../components/appRunnerService";
import { ArmLambda } from "../components/armLambda";
import { EksGraviton } from "../components/eksGraviton";
import { ExpressModeService } from "../components/expressModeService";
import { armCapacityProviderStrategy } from "../components/fargateCapacity";
import { FargateServicePair } from "../components/fargateServicePair";
import { Monitoring } from "../components/monitoring";
import { Network } from "../components/network";
import { shown } from "../components/rules";
import { parseStackConfig } from "../config";
import { ConfigOverrides, projectName, stackConfig } from "./harness";

const ns = projectName;
const image = `repo@sha256:${"a".repeat(64)}`;
const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const subnets = ["subnet-0123abcd", "subnet-0123abce"];

/** A component that takes the argument: its name in errors, and a call that builds it with the argument set. */
interface Use {
    readonly component: string;
    readonly build: (argument: string, value: unknown) => unknown;
}

interface Case {
    /** The config key without the namespace; its last part is the component's argument. */
    readonly key: string;
    readonly value: unknown;
    /** Other settings the case needs, by full key; the uses give the component the same. */
    readonly config?: ConfigOverrides;
    readonly uses: readonly Use[];
}

const fargate = (args: Record<string, unknown> = {}): Use => ({
    component: "FargateServicePair",
    build: (key: string, value: unknown) =>
        new FargateServicePair("bad", {
            vpcId: "vpc-1",
            publicSubnetIds: subnets,
            privateSubnetIds: subnets,
            image,
            repositoryArn: "arn",
            ...args,
            [key]: value,
        }),
});
const lambda: Use = {
    component: "ArmLambda",
    build: (key: string, value: unknown) =>
        new ArmLambda("bad", { imageUri: image, repositoryName: "app", [key]: value }),
};
const appRunner = (args: Record<string, unknown> = {}): Use => ({
    component: "AppRunnerService",
    build: (key: string, value: unknown) =>
        new AppRunnerService("bad", { image, repositoryArn: "arn", ...args, [key]: value }),
});
const express = (args: Record<string, unknown> = {}): Use => ({
    component: "ExpressModeService",
    build: (key: string, value: unknown) => new ExpressModeService("bad", { image, ...args, [key]: value }),
});
const eks = (args: Record<string, unknown> = {}): Use => ({
    component: "EksGraviton",
    build: (key: string, value: unknown) =>
        new EksGraviton("bad", { privateSubnetIds: subnets, image, ...args, [key]: value }),
});
const network = (args: Record<string, unknown> = {}): Use => ({
    component: "Network",
    build: (key: string, value: unknown) => new Network("bad", { ...args, [key]: value }),
});

const monitoring = (args: Record<string, unknown> = {}): Use => ({
    component: "Monitoring",
    build: (key: string, value: unknown) =>
        new Monitoring("bad", {
            loadBalancerArnSuffix: "app/web/1",
            clusterName: "web",
            services: {
                x86: { targetGroupArnSuffix: "targetgroup/x86/1", serviceName: "x86" },
                arm: { targetGroupArnSuffix: "targetgroup/arm/1", serviceName: "arm" },
            },
            functionName: "api",
            ...args,
            [key]: value,
        }),
});
const topicArn = "arn:aws:sns:us-east-1:123456789012:ops-alarms";

const cases: readonly Case[] = [
    { key: "service.cpu", value: 300, uses: [fargate()] },
    { key: "service.memory", value: 200000, uses: [fargate()] },
    { key: "service.memory", value: 4096, config: { [`${ns}:service.cpu`]: 256 }, uses: [fargate({ cpu: 256 })] },
    { key: "service.x86DesiredCount", value: -1, uses: [fargate()] },
    { key: "service.armDesiredCount", value: 101, uses: [fargate()] },
    { key: "service.maxCountPerArch", value: 0, uses: [fargate()] },
    { key: "service.armTrafficPercent", value: 12.5, uses: [fargate()] },
    {
        key: "service.maxCountPerArch",
        value: 3,
        config: { [`${ns}:service.x86DesiredCount`]: 5 },
        uses: [fargate({ x86DesiredCount: 5 })],
    },
    {
        key: "service.armDesiredCount",
        value: 0,
        config: { [`${ns}:service.armTrafficPercent`]: 20 },
        uses: [fargate({ armTrafficPercent: 20 })],
    },
    {
        key: "service.x86DesiredCount",
        value: 0,
        config: { [`${ns}:service.armTrafficPercent`]: 50 },
        uses: [fargate({ armTrafficPercent: 50 })],
    },
    {
        key: "service.hostedZoneId",
        value: undefined,
        config: { [`${ns}:service.domainName`]: "app.example.com" },
        uses: [fargate({ domainName: "app.example.com" })],
    },
    {
        key: "service.domainName",
        value: undefined,
        config: { [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
        uses: [fargate({ hostedZoneId: "Z0123456789ABC" })],
    },
    {
        key: "service.certificateArn",
        value: certificateArn,
        config: { [`${ns}:service.domainName`]: "app.example.com", [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
        uses: [fargate({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABC" })],
    },
    { key: "service.publicHostname", value: "app.example.com", uses: [fargate()] },
    {
        key: "service.publicHostname",
        value: "www.example.com",
        config: { [`${ns}:service.domainName`]: "app.example.com", [`${ns}:service.hostedZoneId`]: "Z0123456789ABC" },
        uses: [fargate({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABC" })],
    },
    {
        key: "service.listenerPort",
        value: 443,
        config: { [`${ns}:service.certificateArn`]: certificateArn },
        uses: [fargate({ certificateArn })],
    },
    {
        key: "service.armSpotOnDemandBase",
        value: 1,
        config: { [`${ns}:service.armSpot`]: false },
        uses: [
            fargate({ armSpot: false }),
            {
                component: "FargateServicePair",
                build: (_, value) => armCapacityProviderStrategy(false, value as number),
            },
        ],
    },
    {
        key: "service.armSpotOnDemandBase",
        value: 101,
        config: { [`${ns}:service.armSpot`]: true },
        uses: [
            fargate({ armSpot: true }),
            {
                component: "FargateServicePair",
                build: (_, value) => armCapacityProviderStrategy(true, value as number),
            },
        ],
    },
    { key: "lambda.memoryMb", value: 64, uses: [lambda] },
    { key: "lambda.timeoutSeconds", value: 901, uses: [lambda] },
    { key: "lambda.urlAuthType", value: "PUBLIC", uses: [lambda] },
    { key: "appRunner.cpu", value: 8192, uses: [appRunner()] },
    { key: "appRunner.memory", value: 3072, config: { [`${ns}:appRunner.cpu`]: 256 }, uses: [appRunner({ cpu: 256 })] },
    { key: "expressMode.cpu", value: 8192, uses: [express()] },
    { key: "expressMode.memory", value: 16384, uses: [express()] },
    {
        key: "expressMode.memory",
        value: 8192,
        config: { [`${ns}:expressMode.cpu`]: 256 },
        uses: [express({ cpu: 256 })],
    },
    { key: "eks.kubernetesVersion", value: "v1.36", uses: [eks()] },
    { key: "eks.instanceTypes", value: [], uses: [eks()] },
    { key: "eks.instanceTypes", value: ["t3.medium", "t4g.medium"], uses: [eks()] },
    { key: "eks.instanceTypes", value: ["q9g.large"], uses: [eks()] },
    { key: "eks.minSize", value: -1, uses: [eks()] },
    { key: "eks.desiredSize", value: 0, uses: [eks()] },
    { key: "eks.replicas", value: 101, uses: [eks()] },
    { key: "eks.minSize", value: 3, config: { [`${ns}:eks.maxSize`]: 4 }, uses: [eks({ maxSize: 4 })] },
    { key: "eks.maxSize", value: 1, uses: [eks()] },
    {
        key: "network.publicSubnetIds",
        value: ["subnet-0123abcd"],
        config: { [`${ns}:network.vpcId`]: "vpc-0123abcd", [`${ns}:network.privateSubnetIds`]: subnets },
        uses: [network({ vpcId: "vpc-0123abcd", privateSubnetIds: subnets })],
    },
    {
        key: "network.privateSubnetIds",
        value: undefined,
        config: { [`${ns}:network.vpcId`]: "vpc-0123abcd", [`${ns}:network.publicSubnetIds`]: subnets },
        uses: [network({ vpcId: "vpc-0123abcd", publicSubnetIds: subnets })],
    },
    { key: "network.publicSubnetIds", value: subnets, uses: [network()] },
    { key: "monitoring.p99LatencyMs", value: 5, uses: [monitoring()] },
    { key: "monitoring.target5xxPercent", value: 0, uses: [monitoring()] },
    { key: "monitoring.p99RatioThreshold", value: 0.9, uses: [monitoring()] },
    { key: "monitoring.p99RatioThreshold", value: "slower", uses: [monitoring()] },
    { key: "monitoring.alarmEmail", value: "ops", uses: [monitoring()] },
    { key: "monitoring.alarmTopicArn", value: "arn:aws:sqs:us-east-1:123456789012:ops", uses: [monitoring()] },
    {
        key: "monitoring.alarmTopicArn",
        value: topicArn,
        config: { [`${ns}:monitoring.alarmEmail`]: "ops@example.com" },
        uses: [monitoring({ alarmEmail: "ops@example.com" })],
    },
    {
        key: "iam.permissionsBoundaryArn",
        value: "arn:aws:iam::123456789012:role/boundary",
        uses: [fargate(), lambda, appRunner(), express(), eks()],
    },
];

/** The message after `<key> = <value>: ` in the one line of an error that names the key with that value. */
function messageFor(errorText: string, key: string, value: unknown): string {
    const prefix = `${key} = ${shown(value)}: `;
    const lines = errorText.split("\n").filter((line) => line.includes(prefix));
    assert.strictEqual(lines.length, 1, `expected one line with "${prefix}" in:\n${errorText}`);
    return lines[0].slice(lines[0].indexOf(prefix) + prefix.length);
}

function errorOf(action: () => unknown): string {
    try {
        action();
    } catch (error) {
        return (error as Error).message;
    }
    assert.fail("expected an error");
}

describe("each rule on a value has one wording", () => {
    for (const { key, value, config, uses } of cases) {
        const argument = key.split(".").at(-1) ?? key;
        const names = uses.map((use) => use.component).join(", ");
        it(`${key} = ${shown(value)}: the stack config and ${names} say the same`, () => {
            const raw = stackConfig("dev", { ...config, [`${ns}:${key}`]: value });
            const fromConfig = messageFor(
                errorOf(() => parseStackConfig(raw, "dev")),
                `${ns}:${key}`,
                value,
            );
            for (const use of uses) {
                const fromComponent = messageFor(
                    errorOf(() => use.build(argument, value)),
                    `${use.component}: ${argument}`,
                    value,
                );
                assert.strictEqual(fromComponent, fromConfig, use.component);
            }
        });
    }
});
