import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppRunnerService } from "./components/appRunnerService";
import { ArmLambda } from "./components/armLambda";
import { EksGraviton } from "./components/eksGraviton";
import { ExpressModeService } from "./components/expressModeService";
import { FargateServicePair } from "./components/fargateServicePair";
import { MultiArchImage } from "./components/multiArchImage";
import { Network } from "./components/network";
import { unnamedCertificateWarning } from "./components/tls";
import { loadStackConfig, programTags, projectName } from "./config";

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

const web = new FargateServicePair(
    "web",
    {
        ...config.service,
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
