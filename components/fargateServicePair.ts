import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    armCapacityProviderStrategy,
    armSpotProblems,
    CapacityProviderStrategy,
    clusterCapacityProviders,
    fargateCapacityProviders,
    fargatePlatformVersion,
    onDemandBaseRule,
} from "./fargateCapacity";
import { ecrPullGrants, Grant, logWriteGrant, policyFor, requirePolicyArn, serviceRoleArgs } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { SecurityGroups, securityGroupsFor, shortName, weightedLoadBalancer } from "./loadBalancer";
import { ECS_CPU_ARCHITECTURES, EcsCpuArchitecture } from "../policy-pack/architecture";
import { componentType } from "./project";
import { checkArguments, Problem, wholeNumber } from "./rules";
import { fargateSizes, sizePairProblems, sizeRules } from "./sizing";
import { loadBalancerUrl, TlsArgs, tlsFor, tlsProblems } from "./tls";

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
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
    armSpot: false,
    armSpotOnDemandBase: 0,
};

/**
 * Long enough for a failed release to be rolled back, not only for a good one to roll out: the
 * circuit breaker waits for several failed task launches (each a pull, a start and up to three
 * failed health checks 15 s apart after a 30 s grace period), then the previous release must
 * become healthy again. 30 minutes covers both with margin; the provider's own default is 20.
 */
export const rolloutTimeout = "30m";
const containerName = "app";

export interface FargateServicePairArgs extends TlsArgs {
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
    /** The managed policy the task and execution roles get as their permissions boundary; none when unset. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** Run the ARM64 service on Fargate Spot. */
    readonly armSpot?: boolean;
    /** With `armSpot`: how many ARM64 tasks stay on on-demand Fargate before the rest go to Spot. */
    readonly armSpotOnDemandBase?: number;
    /**
     * CloudWatch alarms that fail an ARM64 deployment and roll it back when one goes into ALARM (ECS deployment
     * alarms); none when unset.
     */
    readonly armDeploymentAlarmNames?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The sizing and traffic settings, each with its default in fargateServicePairDefaults. */
export type FargateServicePairSettings = Required<
    Omit<
        FargateServicePairArgs,
        | "vpcId"
        | "publicSubnetIds"
        | "privateSubnetIds"
        | "image"
        | "repositoryArn"
        | "permissionsBoundaryArn"
        | "armDeploymentAlarmNames"
        | keyof TlsArgs
    >
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
    /** The listener that forwards: HTTPS on 443 with a certificate, else HTTP on the listener port. */
    public readonly listener: aws.lb.Listener;
    /** With HTTPS: the HTTP listener that only redirects. */
    public readonly redirectListener?: aws.lb.Listener;
    public readonly deployments: Readonly<Record<EcsCpuArchitecture, ArchitectureDeployment>>;
    /** `https://<domain or alb dns name>` with HTTPS, else `http://<alb dns name>[:port]`. */
    public readonly url: pulumi.Output<string>;
    /** The certificate the HTTPS listener serves; undefined without HTTPS. */
    public readonly certificateArn?: pulumi.Output<string>;
    /** Where the ARM service's tasks run: its capacity provider strategy. */
    public readonly armCapacityProviderStrategy: CapacityProviderStrategy;

    constructor(name: string, args: FargateServicePairArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = { ...fargateServicePairDefaults, ...args };
        checkArguments("FargateServicePair", fargateServicePairRules, settings, fargateServicePairProblems);
        requirePolicyArn("FargateServicePair", "permissionsBoundaryArn", args.permissionsBoundaryArn);
        const armCapacity = armCapacityProviderStrategy(settings.armSpot, settings.armSpotOnDemandBase);
        // Each task pulls what the reference names at launch: a tag could move between tasks of one release.
        const image = requireDigestPinned("FargateServicePair", "image", args.image);
        super(componentType("ecs", "FargateServicePair"), name, {}, opts);
        this.armCapacityProviderStrategy = armCapacity;

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
        // Both Fargate providers, always: the ARM service can move to Spot and back without a cluster change, and a
        // service that names neither a launch type nor a strategy gets on-demand Fargate.
        const capacityProviders = clusterCapacityProviders(name, this.cluster, fargateCapacityProviders, this);

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { retentionInDays: settings.logRetentionDays },
            { parent: this },
        );

        const roles = taskRoles(name, settings.repositoryArn, logGroup.arn, args.permissionsBoundaryArn, this);

        const tls = tlsFor(name, args, this);
        this.certificateArn = tls.certificateArn;
        const https = tls.certificateArn !== undefined;
        const securityGroups = securityGroupsFor(name, { ...settings, vpcId: args.vpcId, https }, this);
        const front = weightedLoadBalancer(
            name,
            {
                ...settings,
                vpcId: args.vpcId,
                publicSubnetIds: args.publicSubnetIds,
                securityGroups,
                certificateArn: tls.certificateArn,
            },
            this,
        );
        this.loadBalancer = front.loadBalancer;
        this.listener = front.listener;
        this.redirectListener = front.redirectListener;
        const targetGroups = front.targetGroups;
        tls.pointAt?.(this.loadBalancer);

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const shared: SharedParts = {
            settings,
            image,
            roles,
            logGroup,
            region,
            cluster: this.cluster,
            capacityProviders,
            listener: this.listener,
            securityGroups,
            privateSubnetIds: args.privateSubnetIds,
            armCapacity,
            armDeploymentAlarmNames: args.armDeploymentAlarmNames,
        };
        const deployments = {} as Record<EcsCpuArchitecture, ArchitectureDeployment>;
        for (const arch of ECS_CPU_ARCHITECTURES) {
            deployments[arch] = deployArchitecture(
                `${name}-${shortName[arch]}`,
                arch,
                targetGroups[arch],
                shared,
                this,
            );
        }
        this.deployments = deployments;

        this.url = loadBalancerUrl(this.loadBalancer, settings.listenerPort, tls);

        this.registerOutputs({ url: this.url, clusterName: this.cluster.name });
    }
}

/** The roles every task of the pair runs with: ECS's (pull the image, write logs) and the app's (ECS Exec). */
function taskRoles(
    name: string,
    repositoryArn: pulumi.Input<string>,
    logGroupArn: pulumi.Output<string>,
    permissionsBoundaryArn: pulumi.Input<string> | undefined,
    parent: pulumi.Resource,
): TaskRoles {
    const executionRole = new aws.iam.Role(
        `${name}-execution`,
        serviceRoleArgs("ecs-tasks.amazonaws.com", permissionsBoundaryArn),
        { parent },
    );
    const executionPolicy = new aws.iam.RolePolicy(
        `${name}-execution`,
        {
            role: executionRole.id,
            policy: policyFor([...ecrPullGrants(repositoryArn), logWriteGrant(logGroupArn)]),
        },
        { parent },
    );

    // ECS Exec talks to the task through SSM Session Manager channels, whose actions take no resource scope.
    // The cluster's DEFAULT exec logging sends each session to the task's awslogs group, and the SSM agent
    // in the task looks the group up first: without these log rights the session fails to start
    // (docs/platform-facts.md, "Amazon ECS").
    const taskRole = new aws.iam.Role(
        `${name}-task`,
        serviceRoleArgs("ecs-tasks.amazonaws.com", permissionsBoundaryArn),
        { parent },
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
                ...execLoggingGrants(logGroupArn),
            ]),
        },
        { parent },
    );

    return { executionRole, executionPolicy, taskRole, taskPolicy };
}

/** The task roles, shared by both architectures. */
interface TaskRoles {
    readonly executionRole: aws.iam.Role;
    readonly executionPolicy: aws.iam.RolePolicy;
    readonly taskRole: aws.iam.Role;
    readonly taskPolicy: aws.iam.RolePolicy;
}

/** What both architectures' deployments take from the pair. */
interface SharedParts {
    readonly settings: FargateServicePairSettings & { readonly repositoryArn: pulumi.Input<string> };
    readonly image: pulumi.Output<string>;
    readonly roles: TaskRoles;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly region: pulumi.Output<string>;
    readonly cluster: aws.ecs.Cluster;
    readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
    readonly listener: aws.lb.Listener;
    readonly securityGroups: SecurityGroups;
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly armCapacity: CapacityProviderStrategy;
    readonly armDeploymentAlarmNames?: pulumi.Input<pulumi.Input<string>[]>;
}

/** One architecture's task definition, service and autoscaling, behind its target group. */
function deployArchitecture(
    archName: string,
    arch: EcsCpuArchitecture,
    targetGroup: aws.lb.TargetGroup,
    shared: SharedParts,
    parent: pulumi.Resource,
): ArchitectureDeployment {
    const { settings, image, roles, logGroup, region } = shared;
    const desiredCount = arch === "ARM64" ? settings.armDesiredCount : settings.x86DesiredCount;
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
            executionRoleArn: roles.executionRole.arn,
            taskRoleArn: roles.taskRole.arn,
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
        { parent, dependsOn: [roles.executionPolicy, roles.taskPolicy] },
    );

    // ECS takes a launch type or a capacity provider strategy, never both (ECS API reference, CreateService).
    // The provider's diff refuses a strategy change on an existing service unless forceNewDeployment is set;
    // with it, every update of the ARM service rolls its tasks (docs/platform-facts.md, "Fargate Spot for
    // Graviton").
    const placement =
        arch === "ARM64"
            ? { capacityProviderStrategies: shared.armCapacity, forceNewDeployment: true }
            : { launchType: "FARGATE" };
    // ECS fails a deployment whose alarm goes into ALARM and rolls back to the last one that completed
    // (docs/platform-facts.md, "Monitoring").
    const deploymentAlarms =
        arch === "ARM64" && shared.armDeploymentAlarmNames !== undefined
            ? { alarms: { enable: true, rollback: true, alarmNames: shared.armDeploymentAlarmNames } }
            : {};
    const service = new aws.ecs.Service(
        archName,
        {
            cluster: shared.cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount,
            ...placement,
            ...deploymentAlarms,
            platformVersion: fargatePlatformVersion,
            networkConfiguration: {
                subnets: shared.privateSubnetIds,
                securityGroups: [shared.securityGroups.tasks.id],
                assignPublicIp: false,
            },
            loadBalancers: [
                {
                    targetGroupArn: targetGroup.arn,
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
            parent,
            // Autoscaling owns the running count after creation; ECS rejects a target group not yet on a
            // listener, and a strategy naming a provider the cluster does not list yet.
            dependsOn: [shared.listener, shared.capacityProviders],
            ignoreChanges: ["desiredCount"],
            customTimeouts: { create: rolloutTimeout, update: rolloutTimeout },
        },
    );

    const scalingTarget = new aws.appautoscaling.Target(
        archName,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${shared.cluster.name}/${service.name}`,
            minCapacity: desiredCount,
            maxCapacity: settings.maxCountPerArch,
        },
        { parent },
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
        { parent },
    );

    return { taskDefinition, service, targetGroup };
}

/** What each sizing and traffic argument allows on its own; fargateServicePairProblems checks them together. */
export const fargateServicePairRules = {
    ...sizeRules(fargateSizes),
    x86DesiredCount: wholeNumber(0, 100),
    armDesiredCount: wholeNumber(0, 100),
    maxCountPerArch: wholeNumber(1, 100),
    armTrafficPercent: wholeNumber(0, 100),
    armSpotOnDemandBase: onDemandBaseRule,
} as const;

/** The rules between arguments: the size pair, HTTPS, Spot, and the task counts against autoscaling and traffic. */
export function fargateServicePairProblems(args: FargateServicePairSettings & TlsArgs): Problem[] {
    const problems = [...sizePairProblems(fargateSizes, args), ...tlsProblems(args), ...armSpotProblems(args)];
    for (const countKey of ["x86DesiredCount", "armDesiredCount"] as const) {
        if (args[countKey] > args.maxCountPerArch) {
            problems.push({
                key: "maxCountPerArch",
                value: args.maxCountPerArch,
                message: `must be at least ${countKey} (${args[countKey]}), or autoscaling would cap the service below its desired count`,
            });
        }
    }
    // A target group with weight but no tasks answers 503 to its share of requests.
    if (args.armTrafficPercent > 0 && args.armDesiredCount === 0) {
        problems.push({
            key: "armDesiredCount",
            value: 0,
            message: `must be at least 1 while armTrafficPercent is ${args.armTrafficPercent}; set armTrafficPercent to 0 to run no ARM tasks`,
        });
    }
    if (args.armTrafficPercent < 100 && args.x86DesiredCount === 0) {
        problems.push({
            key: "x86DesiredCount",
            value: 0,
            message: `must be at least 1 while armTrafficPercent is ${args.armTrafficPercent}; set armTrafficPercent to 100 to run no x86 tasks`,
        });
    }
    return problems;
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
