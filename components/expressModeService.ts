import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterCapacityProviders } from "./fargateCapacity";
import { awsManagedPolicyArn, requirePolicyArn, serviceRoleArgs, serviceRoleOfKind } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { healthCheckPath } from "./loadBalancer";
import { componentType } from "./project";
import { checkArguments, Problem, wholeNumberFrom } from "./rules";
import { expressSizes, sizePairProblems, sizeRules } from "./sizing";

/** The variable the app reads to name its runtime where the platform sets none of its own (app/src/server.ts). */
export const appRuntimeVariable = "APP_RUNTIME";

export interface ExpressModeServiceArgs {
    /**
     * The amd64 image's own manifest, pinned by digest: Express Mode runs X86_64 tasks, and AWS does not document
     * that it resolves an image index (docs/platform-facts.md, "Amazon ECS Express Mode").
     */
    readonly image: pulumi.Input<string>;
    readonly cpu?: number;
    readonly memory?: number;
    readonly port?: number;
    readonly logRetentionDays?: number;
    readonly minTasks?: number;
    readonly maxTasks?: number;
    /**
     * The stack's permissions boundary, for the execution role; the infrastructure role is then bounded by its own
     * AWS managed policy (docs/platform-facts.md, "Service roles under the boundary").
     */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const expressModeServiceDefaults: Readonly<
    Required<Pick<ExpressModeServiceArgs, "cpu" | "memory" | "port" | "logRetentionDays" | "minTasks" | "maxTasks">>
> = {
    cpu: 256,
    memory: 512,
    port: 8080,
    logRetentionDays: 7,
    minTasks: 1,
    maxTasks: 4,
};

// The AWS-managed policy the Express Mode guide names for the execution role, the infrastructure role's being in
// components/iam.ts (docs/platform-facts.md, "Amazon ECS Express Mode"); the partition comes from the provider.
const executionPolicyName = "service-role/AmazonECSTaskExecutionRolePolicy";

/**
 * The image as an ECS Express Mode service: ECS creates and manages the task definition, service, load balancer
 * with its HTTPS endpoint, security groups and autoscaling. The successor AWS names for App Runner.
 */
export class ExpressModeService extends pulumi.ComponentResource {
    /** A cluster of its own, offering the one capacity provider Express Mode sets up: FARGATE. */
    public readonly cluster: aws.ecs.Cluster;
    public readonly service: aws.ecs.ExpressGatewayService;
    /** `https://<endpoint>` of the public ingress path; null while the service reports none. */
    public readonly url: pulumi.Output<string | null>;

    constructor(name: string, args: ExpressModeServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = { ...expressModeServiceDefaults, ...args };
        checkArguments("ExpressModeService", expressModeServiceRules, settings, expressModeServiceProblems);
        requirePolicyArn("ExpressModeService", "permissionsBoundaryArn", args.permissionsBoundaryArn);
        const image = requireDigestPinned("ExpressModeService", "image", args.image);
        super(componentType("ecs", "ExpressModeService"), name, {}, opts);

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        // Pulls the image and writes the container's logs, within the stack's boundary like the services' roles.
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            serviceRoleArgs("ecs-tasks.amazonaws.com", args.permissionsBoundaryArn),
            { parent: this },
        );
        const executionPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-execution`,
            { role: executionRole.name, policyArn: awsManagedPolicyArn(partition, executionPolicyName) },
            { parent: this },
        );
        // ECS itself assumes this one to create and change the load balancer, security groups and scaling.
        const { role: infrastructureRole, policy: infrastructurePolicy } = serviceRoleOfKind(
            `${name}-infrastructure`,
            "ecs-infrastructure",
            partition,
            args.permissionsBoundaryArn !== undefined,
            this,
        );
        // Without a cluster Express Mode creates the account's `default` one, which `pulumi destroy` would leave
        // behind; its own cluster also keeps it away from the Fargate Spot strategy of the ECS services'
        // cluster (docs/platform-facts.md, "Amazon ECS Express Mode").
        this.cluster = new aws.ecs.Cluster(name, {}, { parent: this });
        const capacityProviders = clusterCapacityProviders(name, this.cluster, ["FARGATE"], this);
        // A group of the stack's own, so its retention is set and `pulumi destroy` removes it.
        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { retentionInDays: settings.logRetentionDays },
            { parent: this },
        );

        this.service = new aws.ecs.ExpressGatewayService(
            name,
            {
                // Through the capacity providers, so the service is created once the cluster offers FARGATE.
                cluster: capacityProviders.clusterName,
                executionRoleArn: executionRole.arn,
                infrastructureRoleArn: infrastructureRole.arn,
                cpu: String(settings.cpu),
                memory: String(settings.memory),
                healthCheckPath,
                primaryContainer: {
                    image,
                    containerPort: settings.port,
                    environments: [
                        { name: "PORT", value: String(settings.port) },
                        // ECS sets no variable of its own that tells an Express task from any other ECS task.
                        { name: appRuntimeVariable, value: "express" },
                    ],
                    awsLogsConfigurations: [{ logGroup: logGroup.name, logStreamPrefix: "express" }],
                },
                scalingTargets: [
                    {
                        minTaskCount: settings.minTasks,
                        maxTaskCount: settings.maxTasks,
                        autoScalingMetric: "AVERAGE_CPU",
                        autoScalingTargetValue: 60,
                    },
                ],
                // As for the Fargate services: `pulumi up` fails when the new revision does not become healthy.
                waitForSteadyState: true,
            },
            // The provider's own advice: the roles' policies must outlive the service, or its deletion hangs in
            // DRAINING.
            { parent: this, dependsOn: [executionPolicy, infrastructurePolicy] },
        );

        this.url = this.service.ingressPaths.apply(expressUrlOf);
        this.registerOutputs({ url: this.url });
    }
}

/**
 * The public path's endpoint as a URL, else the first path's; null when the provider reports none, since its
 * `ingressPaths` is computed and may be absent or empty (docs/platform-facts.md, "Amazon ECS Express Mode").
 */
function expressUrlOf(paths: readonly { accessType?: string; endpoint?: string }[] | undefined): string | null {
    const list = paths ?? [];
    const endpoint = (list.find((path) => path.accessType === "PUBLIC") ?? list[0])?.endpoint ?? "";
    if (endpoint === "") {
        return null;
    }
    return endpoint.includes("://") ? endpoint : `https://${endpoint}`;
}

/** What the size and task-count arguments allow on their own; expressModeServiceProblems checks them together. */
export const expressModeServiceRules = { ...sizeRules(expressSizes), minTasks: wholeNumberFrom(0) } as const;

export function expressModeServiceProblems(
    args: Required<Pick<ExpressModeServiceArgs, "cpu" | "memory" | "minTasks" | "maxTasks">>,
): Problem[] {
    const problems = sizePairProblems(expressSizes, args);
    if (args.minTasks > args.maxTasks) {
        problems.push({
            key: "minTasks",
            value: args.minTasks,
            message: `must not exceed maxTasks (${args.maxTasks})`,
        });
    }
    return problems;
}
