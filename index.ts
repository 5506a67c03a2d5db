import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppRunnerService } from "./components/appRunnerService";
import { ArmLambda } from "./components/armLambda";
import { EksGraviton } from "./components/eksGraviton";
import { ExpressModeService } from "./components/expressModeService";
import { FargateServicePair } from "./components/fargateServicePair";
import { Monitoring, pricePerformance } from "./components/monitoring";
import { MultiArchImage } from "./components/multiArchImage";
import { Network } from "./components/network";
import { unnamedCertificateWarning } from "./components/tls";
import { loadStackConfig, programTags, projectName } from "./config";
import { pricedRegions, pricesFor } from "./prices/prices";

// Validated before anything is registered: bad config creates nothing.
const config = loadStackConfig();

const provider = new aws.Provider("aws", {
    region: config.region,
    defaultTags: {
        // config/tags.ts refuses a stack tag named like these, so they always hold.
        tags: { ...config.tags, ...programTags(config.stack) },
    },
});
const opts = { providers: { aws: provider } };

const network = new Network("network", config.network, opts);

// One build, three digests: the index for ECS, each platform's own manifest for the rest.
const image = new MultiArchImage(
    "app",
    {
        context: path.join(__dirname, "app"),
        builders: { amd64: config.image.amd64Builder, arm64: config.image.arm64Builder },
        protect: config.protect,
    },
    opts,
);

// The ARM service's deployment alarms watch its target group, which the pair creates: their names are known once
// the monitoring below has made them.
const [armDeploymentAlarmNames, setArmDeploymentAlarmNames] = pulumi.deferredOutput<string[]>();

const web = new FargateServicePair(
    "web",
    {
        ...config.service,
        armDeploymentAlarmNames,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        image: image.indexRef,
        repositoryArn: image.repository.arn,
        permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
    },
    opts,
);

const api = new ArmLambda(
    "api",
    {
        ...config.lambda,
        imageUri: image.platformRefs.arm64,
        repositoryName: image.repository.name,
        appPort: config.service.containerPort,
        permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
    },
    opts,
);

const appRunner = config.appRunner.enabled
    ? new AppRunnerService(
          "app",
          {
              cpu: config.appRunner.cpu,
              memory: config.appRunner.memory,
              port: config.service.containerPort,
              image: image.platformRefs.amd64,
              repositoryArn: image.repository.arn,
              permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
          },
          opts,
      )
    : undefined;

// The same index on EKS, on Graviton nodes only; off by default, since a cluster costs $0.10 an hour before any node.
const { enabled: eksEnabled, ...eksSettings } = config.eks;
const eks = eksEnabled
    ? new EksGraviton(
          "eks",
          {
              ...eksSettings,
              privateSubnetIds: network.privateSubnetIds,
              image: image.indexRef,
              containerPort: config.service.containerPort,
              permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
          },
          opts,
      )
    : undefined;

// Express Mode runs X86_64 tasks and is given the amd64 manifest (docs/platform-facts.md, "Amazon ECS Express Mode").
const express = config.expressMode.enabled
    ? new ExpressModeService(
          "express",
          {
              cpu: config.expressMode.cpu,
              memory: config.expressMode.memory,
              port: config.service.containerPort,
              logRetentionDays: config.service.logRetentionDays,
              image: image.platformRefs.amd64,
              permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
          },
          opts,
      )
    : undefined;

// x86 and ARM side by side: one dashboard, alarms per target group, and the ARM service's deployment alarms.
const monitoring = new Monitoring(
    "monitoring",
    {
        ...config.monitoring,
        loadBalancerArnSuffix: web.loadBalancer.arnSuffix,
        clusterName: web.cluster.name,
        services: {
            x86: {
                targetGroupArnSuffix: web.deployments.X86_64.targetGroup.arnSuffix,
                serviceName: web.deployments.X86_64.service.name,
            },
            arm: {
                targetGroupArnSuffix: web.deployments.ARM64.targetGroup.arnSuffix,
                serviceName: web.deployments.ARM64.service.name,
            },
        },
        functionName: api.function.name,
        containerInsights: config.service.containerInsights,
        // The prices `npm run cost` uses; a region it has none for gets a dashboard without the price view.
        prices: pricedRegions.includes(config.region)
            ? pricePerformance(pricesFor(config.region), {
                  ...config.service,
                  lambdaMemoryMb: config.lambda.memoryMb,
              })
            : undefined,
        eks: eks && {
            clusterName: eks.cluster.name,
            autoScalingGroupName: eks.nodeGroup.resources.apply(
                (resources) => resources[0]?.autoscalingGroups?.[0]?.name,
            ),
        },
        express: express && { clusterName: express.cluster.name, serviceName: express.service.serviceName },
        appRunner: appRunner && {
            serviceName: appRunner.service.serviceName,
            serviceId: appRunner.service.serviceId,
        },
    },
    opts,
);
setArmDeploymentAlarmNames(monitoring.armDeploymentAlarmNames);

// A certificate without the hostname it covers leaves no URL a TLS client accepts (docs/platform-facts.md, "HTTPS on
// the load balancer"): null and a warning then, rather than the ALB's own name.
const albUrlProblem = unnamedCertificateWarning(config.service, `${projectName}:`);
if (albUrlProblem !== undefined) {
    void pulumi.log.warn(albUrlProblem);
}

export const region = config.region;
export const albUrl = albUrlProblem === undefined ? web.url : null;
export const loadBalancerArn = web.loadBalancer.arn;
export const lambdaUrl = api.url;
export const lambdaFunctionName = api.function.name;
// null, not undefined, while App Runner is off: the output then says so instead of the engine warning about an
// undefined stack output.
export const appRunnerUrl = appRunner?.url ?? null;
export const expressUrl = express?.url ?? null;
export const expressServiceArn = express?.service.serviceArn ?? null;
/** The certificate the ALB's HTTPS listener serves; null when it only speaks HTTP. */
export const albCertificateArn = web.certificateArn ?? null;
/** Where the ARM service's tasks run: its capacity provider strategy (on-demand FARGATE unless Spot is on). */
export const armCapacityProviderStrategy = web.armCapacityProviderStrategy;
export const clusterName = web.cluster.name;
// null while EKS is off, as appRunnerUrl.
export const eksUrl = eks?.url ?? null;
export const eksClusterName = eks?.cluster.name ?? null;
export const serviceNames = { x86: web.deployments.X86_64.service.name, arm64: web.deployments.ARM64.service.name };
export const repositoryUrl = image.repositoryUrl;
export const imageTag = image.tag;
/** ECS Fargate, both architectures: the agent pulls the child matching the task's CPU. */
export const indexRef = image.indexRef;
/** App Runner (amd64 only). */
export const amd64Ref = image.platformRefs.amd64;
/** Lambda (an index is rejected, so the arm64 manifest itself). */
export const arm64Ref = image.platformRefs.arm64;
export const dashboardName = monitoring.dashboard.dashboardName;
export const dashboardUrl = monitoring.dashboardUrl;
/** Every alarm the stack made, by name. */
export const alarmNames = pulumi.all(monitoring.alarms.map((alarm) => alarm.name));
/** The SNS topic the alarms notify; null when they notify nobody. */
export const alarmTopicArn = monitoring.alarmTopicArn ?? null;
