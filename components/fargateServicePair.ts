import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ARCHITECTURES, ECS_CPU_ARCHITECTURES, fromEcs } from "../policy-pack/architecture";
import { ecrPullGrants, Grant, logWriteGrant, policyFor, trustPolicyFor } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { componentType } from "./project";
import { fargateMemoryByCpu, requireSizePair } from "./sizing";

/** ECS names for the two CPU architectures a Fargate task can run on. */
export const cpuArchitectures = ECS_CPU_ARCHITECTURES;
export type CpuArchitecture = (typeof cpuArchitectures)[number];

/** Header a client sets to reach one architecture on purpose, and the values that select each. */
export const targetArchHeader = "x-target-arch";
const archOfEcs = (ecs: CpuArchitecture) => ARCHITECTURES[fromEcs(ecs)];
export const targetArchValues: Readonly<Record<CpuArchitecture, readonly string[]>> = {
    X86_64: archOfEcs("X86_64").aliases,
    ARM64: archOfEcs("ARM64").aliases,
};

/** What a stack gets when it sets nothing; config.ts takes its defaults from here. */
export const fargateServicePairDefaults: Readonly<FargateServicePairSettings> = {
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
};

const shortName: Record<CpuArchitecture, string> = { X86_64: "x86", ARM64: "arm" };

/**
 * Long enough for a failed release to be rolled back, not only for a good one to roll out: the
 * circuit breaker waits for several failed task launches (each a pull, a start and up to three
 * failed health checks 15 s apart after a 30 s grace period), then the previous release must
 * become healthy again. 30 minutes covers both with margin; the provider's own default is 20.
 */
export const rolloutTimeout = "30m";
const containerName = "app";
const healthCheckPath = "/healthz";

export interface FargateServicePairArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the load balancer. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets for the tasks; they get no public IP. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** One multi-arch image index for both services; each task pulls the child for its CPU. */
    readonly image: pulumi.Input<string>;
    /** The repository the image lives in, to scope the pull rights. */
    readonly repositoryArn: pulumi.Input<string>;
    readonly cpu?: number;
    readonly memory?: number;
    readonly x86DesiredCount?: number;
    readonly armDesiredCount?: number;
    readonly maxCountPerArch?: number;
    /** Share of requests (0-100) the listener forwards to the ARM64 service. */
    readonly armTrafficPercent?: number;
    readonly scaleOnCpuPercent?: number;
    readonly containerPort?: number;
    readonly listenerPort?: number;
    readonly logRetentionDays?: number;
    readonly containerInsights?: boolean;
}

/** The sizing and traffic settings, each with its default in fargateServicePairDefaults. */
export type FargateServicePairSettings = Required<
    Omit<FargateServicePairArgs, "vpcId" | "publicSubnetIds" | "privateSubnetIds" | "image" | "repositoryArn">
>;

/** What each architecture gets: its task definition, service and target group. */
export interface ArchitectureDeployment {
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly service: aws.ecs.Service;
    readonly targetGroup: aws.lb.TargetGroup;
}

/**
 * Two ECS Fargate services, X86_64 and ARM64, running the same image index behind one
 * Application Load Balancer whose listener splits traffic by weight, so load can move to
 * Graviton step by step, with a header to pin a request to either architecture.
 */
export class FargateServicePair extends pulumi.ComponentResource {
    public readonly cluster: aws.ecs.Cluster;
    public readonly loadBalancer: aws.lb.LoadBalancer;
    public readonly listener: aws.lb.Listener;
    public readonly deployments: Readonly<Record<CpuArchitecture, ArchitectureDeployment>>;
    /** `http://<alb dns name>[:port]`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: FargateServicePairArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings: Required<FargateServicePairArgs> = { ...fargateServicePairDefaults, ...args };
        checkArgs(settings);
        // Each task pulls what the reference names at launch: a tag could move between tasks of one release.
        const image = requireDigestPinned("FargateServicePair", "image", args.image);
        super(componentType("ecs", "FargateServicePair"), name, {}, opts);

        this.cluster = new aws.ecs.Cluster(
            name,
            {
                settings: [{ name: "containerInsights", value: settings.containerInsights ? "enabled" : "disabled" }],
                // Said explicitly, not left to the default: ECS Exec sessions are logged to each task's
                // awslogs group, for which the task role below holds the rights.
                configuration: { executeCommandConfiguration: { logging: "DEFAULT" } },
            },
            { parent: this },
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { retentionInDays: settings.logRetentionDays },
            { parent: this },
        );

        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            { assumeRolePolicy: trustPolicyFor("ecs-tasks.amazonaws.com") },
            { parent: this },
        );
        const executionPolicy = new aws.iam.RolePolicy(
            `${name}-execution`,
            {
                role: executionRole.id,
                policy: policyFor([...ecrPullGrants(settings.repositoryArn), logWriteGrant(logGroup.arn)]),
            },
            { parent: this },
        );

        // ECS Exec talks to the task through SSM Session Manager channels, whose actions take no resource scope.
        // The cluster's DEFAULT exec logging sends each session to the task's awslogs group, and the SSM agent
        // in the task looks the group up first: without these log rights the session fails to start
        // (docs/platform-facts.md, "Amazon ECS").
        const taskRole = new aws.iam.Role(
            `${name}-task`,
            { assumeRolePolicy: trustPolicyFor("ecs-tasks.amazonaws.com") },
            { parent: this },
        );
        const taskPolicy = new aws.iam.RolePolicy(
            `${name}-task`,
            {
                role: taskRole.id,
                policy: policyFor([
                    {
                        actions: [
                            "ssmmessages:CreateControlChannel",
                            "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel",
                            "ssmmessages:OpenDataChannel",
                        ],
                        resources: ["*"],
                    },
                    ...execLoggingGrants(logGroup.arn),
                ]),
            },
            { parent: this },
        );

        const albSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                vpcId: args.vpcId,
                description: `Internet to the ${name} load balancer on port ${settings.listenerPort}`,
            },
            { parent: this },
        );
        const taskSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            { vpcId: args.vpcId, description: `${name} load balancer to tasks on port ${settings.containerPort}` },
            { parent: this },
        );
        // Rules as separate resources: the two groups refer to each other, which inline rules cannot express.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-from-internet`,
            {
                securityGroupId: albSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: settings.listenerPort,
                toPort: settings.listenerPort,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-alb-to-tasks`,
            {
                securityGroupId: albSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: settings.containerPort,
                toPort: settings.containerPort,
                referencedSecurityGroupId: taskSecurityGroup.id,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-tasks-from-alb`,
            {
                securityGroupId: taskSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: settings.containerPort,
                toPort: settings.containerPort,
                referencedSecurityGroupId: albSecurityGroup.id,
            },
            { parent: this },
        );
        // Tasks only need HTTPS out: ECR image pulls, CloudWatch Logs and the SSM channels of ECS Exec.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-tasks-https-out`,
            {
                securityGroupId: taskSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );

        this.loadBalancer = new aws.lb.LoadBalancer(
            name,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [albSecurityGroup.id],
                dropInvalidHeaderFields: true,
            },
            { parent: this },
        );

        const targetGroups = {} as Record<CpuArchitecture, aws.lb.TargetGroup>;
        for (const arch of cpuArchitectures) {
            targetGroups[arch] = new aws.lb.TargetGroup(
                `${name}-${shortName[arch]}`,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    protocol: "HTTP",
                    port: settings.containerPort,
                    deregistrationDelay: 30,
                    healthCheck: {
                        path: healthCheckPath,
                        matcher: "200",
                        interval: 15,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                        timeout: 5,
                    },
                },
                { parent: this },
            );
        }

        this.listener = new aws.lb.Listener(
            name,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: settings.listenerPort,
                protocol: "HTTP",
                defaultActions: [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: [
                                { arn: targetGroups.X86_64.arn, weight: 100 - settings.armTrafficPercent },
                                { arn: targetGroups.ARM64.arn, weight: settings.armTrafficPercent },
                            ],
                            // A client stays on the architecture it first reached, so a session never flips CPU mid-way.
                            stickiness: { enabled: true, duration: 3600 },
                        },
                    },
                ],
            },
            { parent: this },
        );

        cpuArchitectures.forEach((arch, position) => {
            new aws.lb.ListenerRule(
                `${name}-pin-${shortName[arch]}`,
                {
                    listenerArn: this.listener.arn,
                    priority: 10 * (position + 1),
                    conditions: [
                        { httpHeader: { httpHeaderName: targetArchHeader, values: [...targetArchValues[arch]] } },
                    ],
                    actions: [{ type: "forward", targetGroupArn: targetGroups[arch].arn }],
                },
                { parent: this },
            );
        });

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const desiredCount: Record<CpuArchitecture, number> = {
            X86_64: settings.x86DesiredCount,
            ARM64: settings.armDesiredCount,
        };
        const deployments = {} as Record<CpuArchitecture, ArchitectureDeployment>;
        for (const arch of cpuArchitectures) {
            const archName = `${name}-${shortName[arch]}`;
            const taskDefinition = new aws.ecs.TaskDefinition(
                archName,
                {
                    family: `${pulumi.getProject()}-${pulumi.getStack()}-${archName}`,
                    requiresCompatibilities: ["FARGATE"],
                    networkMode: "awsvpc",
                    cpu: String(settings.cpu),
                    memory: String(settings.memory),
                    // Unset, Fargate silently means X86_64 (docs/platform-facts.md, "Amazon ECS").
                    runtimePlatform: { cpuArchitecture: arch, operatingSystemFamily: "LINUX" },
                    executionRoleArn: executionRole.arn,
                    taskRoleArn: taskRole.arn,
                    containerDefinitions: pulumi.jsonStringify([
                        {
                            name: containerName,
                            image,
                            essential: true,
                            portMappings: [{ containerPort: settings.containerPort, protocol: "tcp" }],
                            environment: [{ name: "PORT", value: String(settings.containerPort) }],
                            // An init process reaps the shells that ECS Exec starts.
                            linuxParameters: { initProcessEnabled: true },
                            logConfiguration: {
                                logDriver: "awslogs",
                                options: {
                                    "awslogs-group": logGroup.name,
                                    "awslogs-region": region,
                                    "awslogs-stream-prefix": shortName[arch],
                                },
                            },
                        },
                    ]),
                },
                { parent: this, dependsOn: [executionPolicy, taskPolicy] },
            );

            const service = new aws.ecs.Service(
                archName,
                {
                    cluster: this.cluster.arn,
                    taskDefinition: taskDefinition.arn,
                    desiredCount: desiredCount[arch],
                    launchType: "FARGATE",
                    platformVersion: "LATEST",
                    networkConfiguration: {
                        subnets: args.privateSubnetIds,
                        securityGroups: [taskSecurityGroup.id],
                        assignPublicIp: false,
                    },
                    loadBalancers: [
                        {
                            targetGroupArn: targetGroups[arch].arn,
                            containerName,
                            containerPort: settings.containerPort,
                        },
                    ],
                    deploymentCircuitBreaker: { enable: true, rollback: true },
                    deploymentMinimumHealthyPercent: 100,
                    deploymentMaximumPercent: 200,
                    healthCheckGracePeriodSeconds: 30,
                    enableExecuteCommand: true,
                    propagateTags: "SERVICE",
                    enableEcsManagedTags: true,
                    // `pulumi up` waits for the rollout, so a release the circuit breaker rolls back fails the
                    // update instead of reporting success first (docs/platform-facts.md, "Amazon ECS").
                    waitForSteadyState: true,
                },
                {
                    parent: this,
                    // Autoscaling owns the running count after creation; ECS rejects a target group not yet on a listener.
                    dependsOn: [this.listener],
                    ignoreChanges: ["desiredCount"],
                    customTimeouts: { create: rolloutTimeout, update: rolloutTimeout },
                },
            );

            const scalingTarget = new aws.appautoscaling.Target(
                archName,
                {
                    serviceNamespace: "ecs",
                    scalableDimension: "ecs:service:DesiredCount",
                    resourceId: pulumi.interpolate`service/${this.cluster.name}/${service.name}`,
                    minCapacity: desiredCount[arch],
                    maxCapacity: settings.maxCountPerArch,
                },
                { parent: this },
            );
            new aws.appautoscaling.Policy(
                archName,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: scalingTarget.serviceNamespace,
                    scalableDimension: scalingTarget.scalableDimension,
                    resourceId: scalingTarget.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue: settings.scaleOnCpuPercent,
                        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                        scaleOutCooldown: 60,
                        scaleInCooldown: 180,
                    },
                },
                { parent: this },
            );

            deployments[arch] = { taskDefinition, service, targetGroup: targetGroups[arch] };
        }
        this.deployments = deployments;

        const portSuffix = settings.listenerPort === 80 ? "" : `:${settings.listenerPort}`;
        this.url = pulumi.interpolate`http://${this.loadBalancer.dnsName}${portSuffix}`;

        this.registerOutputs({ url: this.url, clusterName: this.cluster.name });
    }
}

function checkArgs(args: Required<FargateServicePairArgs>): void {
    requireSizePair("FargateServicePair", fargateMemoryByCpu, args.cpu, args.memory);
    if (!Number.isInteger(args.armTrafficPercent) || args.armTrafficPercent < 0 || args.armTrafficPercent > 100) {
        throw new Error(
            `FargateServicePair: armTrafficPercent must be a whole number from 0 to 100; got ${args.armTrafficPercent}`,
        );
    }
    for (const key of ["x86DesiredCount", "armDesiredCount"] as const) {
        if (!Number.isInteger(args[key]) || args[key] < 0 || args[key] > args.maxCountPerArch) {
            throw new Error(
                `FargateServicePair: ${key} must be a whole number from 0 to maxCountPerArch (${args.maxCountPerArch}); got ${args[key]}`,
            );
        }
    }
}

/** What the SSM agent needs to log ECS Exec sessions to the task's awslogs group (cluster logging DEFAULT). */
function execLoggingGrants(logGroupArn: pulumi.Input<string>): Grant[] {
    return [
        // DescribeLogGroups lists groups and cannot be scoped to one (CloudWatch Logs IAM reference).
        { actions: ["logs:DescribeLogGroups"], resources: ["*"] },
        {
            actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            resources: [pulumi.interpolate`${logGroupArn}:*`],
        },
    ];
}
