// What a bill has lines for, read from the resources one program run registered under the mock runtime.
import type { CapturedResource, ProgramRun } from "../../harness";
import { EksInventory, eksInventoryOf } from "./costModelEks";

/** The billable parts of one program run, read from what it registered. */
export interface Inventory {
    readonly stack: string;
    readonly region: string;
    readonly fargate: readonly {
        readonly service: string;
        /** Plain ECS services, or the tasks of an Express Mode service. */
        readonly runtime: "Fargate" | "Express Mode";
        readonly architecture: "X86_64" | "ARM64";
        readonly tasks: number;
        /** How many of `tasks` run on Fargate Spot. */
        readonly spotTasks: number;
        readonly cpu: number;
        readonly memoryMiB: number;
    }[];
    readonly lambdas: readonly {
        readonly name: string;
        readonly architecture: "arm64" | "x86_64";
        readonly memoryMb: number;
    }[];
    readonly appRunner: readonly { readonly name: string; readonly cpu: number; readonly memoryMb: number }[];
    /** NAT gateways the program's VPC creates; each gets its own Elastic IP. */
    readonly natGateways: number;
    readonly loadBalancers: readonly {
        readonly name: string;
        /** Whose load balancer: the program's own, or the one Express Mode creates. */
        readonly runtime: "Fargate" | "Express Mode";
        readonly internetFacing: boolean;
        readonly subnets: number;
    }[];
    readonly logGroups: readonly { readonly name: string; readonly retentionDays: number | undefined }[];
    readonly dashboards: readonly { readonly name: string }[];
    /** Metric alarms, each with the number of metrics it reads: what CloudWatch bills an alarm by. */
    readonly alarms: readonly { readonly name: string; readonly metrics: number; readonly highResolution: boolean }[];
    /** Per repository: single-platform images the lifecycle policy keeps, plus one build cache per platform. */
    readonly registries: readonly { readonly name: string; readonly platformImages: number; readonly caches: number }[];
    readonly eks: EksInventory;
}

type Inputs = Record<string, unknown>;

function numberOf(value: unknown, what: string): number {
    const result = typeof value === "string" ? Number(value) : value;
    if (typeof result !== "number" || !Number.isFinite(result)) {
        throw new Error(`cost report: cannot read ${what} from the program (got ${JSON.stringify(value)})`);
    }
    return result;
}

function natGatewaysOf(vpc: CapturedResource): number {
    const inputs = vpc.inputs as {
        natGateways?: { strategy?: string };
        numberOfAvailabilityZones?: number;
        availabilityZoneNames?: string[];
    };
    // awsx makes one NAT gateway for the VPC (Single) or one per AZ (OnePerAz, its default)
    // (docs/platform-facts.md, "Prices").
    switch (inputs.natGateways?.strategy ?? "OnePerAz") {
        case "None":
            return 0;
        case "Single":
            return 1;
    }
    const zones = inputs.availabilityZoneNames?.length ?? inputs.numberOfAvailabilityZones;
    if (zones === undefined) {
        throw new Error(`cost report: VPC ${vpc.name} names no AZ count, so its NAT gateways cannot be counted`);
    }
    return zones;
}

interface StrategyItem {
    capacityProvider: string;
    base?: number;
    weight?: number;
}

/**
 * How many of `tasks` a capacity provider strategy puts on Fargate Spot: the base first on its provider, the rest
 * split by weight (ECS API reference, CapacityProviderStrategyItem). Without a strategy, the launch type: on-demand.
 */
export function spotTasksOf(tasks: number, strategy: readonly StrategyItem[] | undefined): number {
    if (strategy === undefined || strategy.length === 0) {
        return 0;
    }
    const withBase = strategy.find((item) => (item.base ?? 0) > 0);
    const baseTasks = Math.min(tasks, withBase?.base ?? 0);
    const totalWeight = strategy.reduce((sum, item) => sum + (item.weight ?? 0), 0);
    const spotWeight = strategy
        .filter((item) => item.capacityProvider === "FARGATE_SPOT")
        .reduce((sum, item) => sum + (item.weight ?? 0), 0);
    const baseOnSpot = withBase?.capacityProvider === "FARGATE_SPOT" ? baseTasks : 0;
    return baseOnSpot + (totalWeight === 0 ? 0 : ((tasks - baseTasks) * spotWeight) / totalWeight);
}

interface AlarmInputs {
    comparisonOperator?: string;
    period?: number;
    metricQueries?: { expression?: string; metric?: { period?: number } }[];
}

/**
 * What one metric alarm is billed for: one metric, or with metric math each query that reads a metric (the
 * expressions are free); high resolution when a period is under 60 s (docs/platform-facts.md, "Prices").
 */
export function alarmMetricsOf(alarm: CapturedResource<AlarmInputs>): { metrics: number; highResolution: boolean } {
    const { comparisonOperator, period, metricQueries } = alarm.inputs;
    if (comparisonOperator !== undefined && /Lower|Upper/.test(comparisonOperator)) {
        throw new Error(
            `cost report: alarm ${alarm.name} compares with an anomaly detection band (${comparisonOperator}), which the report does not price`,
        );
    }
    if (metricQueries === undefined || metricQueries.length === 0) {
        return { metrics: 1, highResolution: period !== undefined && period < 60 };
    }
    const read = metricQueries.filter((query) => query.metric !== undefined);
    if (read.length === 0) {
        throw new Error(
            `cost report: alarm ${alarm.name} reads no metric (a Metrics Insights query?), which the report does not price`,
        );
    }
    return {
        metrics: read.length,
        highResolution: read.some((query) => query.metric?.period !== undefined && query.metric.period < 60),
    };
}

interface LifecycleRule {
    selection: { tagStatus: string; tagPatternList?: string[]; countType: string; countNumber: number };
}

/** Reads what the program registered into the parts a bill has lines for. */
export function inventoryOf(run: ProgramRun): Inventory {
    const taskDefinitions = new Map(
        run.ofType("aws:ecs/taskDefinition:TaskDefinition").map((definition) => [definition.state.arn, definition]),
    );
    const fargate: Inventory["fargate"][number][] = run.ofType("aws:ecs/service:Service").map((service) => {
        const definition = taskDefinitions.get(service.inputs.taskDefinition);
        if (definition === undefined) {
            throw new Error(`cost report: ECS service ${service.name} has no task definition in the program`);
        }
        const platform = definition.inputs.runtimePlatform as { cpuArchitecture?: string } | undefined;
        const tasks = numberOf(service.inputs.desiredCount ?? 1, `${service.name}.desiredCount`);
        return {
            service: service.name,
            runtime: "Fargate" as const,
            // Unset, Fargate runs X86_64 (docs/platform-facts.md, "Amazon ECS").
            architecture: platform?.cpuArchitecture === "ARM64" ? ("ARM64" as const) : ("X86_64" as const),
            tasks,
            spotTasks: spotTasksOf(tasks, service.inputs.capacityProviderStrategies as StrategyItem[] | undefined),
            cpu: numberOf(definition.inputs.cpu, `${definition.name}.cpu`),
            memoryMiB: numberOf(definition.inputs.memory, `${definition.name}.memory`),
        };
    });
    // Express Mode runs X86_64 Fargate tasks on demand behind a load balancer of its own, which the program does
    // not see; priced as one internet-facing ALB in two AZs, the fewest an ALB takes (docs/platform-facts.md,
    // "Amazon ECS Express Mode").
    const express = run.ofType("aws:ecs/expressGatewayService:ExpressGatewayService");
    for (const service of express) {
        const scaling = (service.inputs.scalingTargets as { minTaskCount?: number }[] | undefined)?.[0];
        fargate.push({
            service: service.name,
            runtime: "Express Mode",
            architecture: "X86_64",
            tasks: numberOf(scaling?.minTaskCount ?? 1, `${service.name}.scalingTargets[0].minTaskCount`),
            spotTasks: 0,
            cpu: numberOf(service.inputs.cpu, `${service.name}.cpu`),
            memoryMiB: numberOf(service.inputs.memory, `${service.name}.memory`),
        });
    }
    const lambdas = run.ofType("aws:lambda/function:Function").map((fn) => ({
        name: fn.name,
        architecture: (fn.inputs.architectures as string[] | undefined)?.includes("arm64")
            ? ("arm64" as const)
            : ("x86_64" as const),
        memoryMb: numberOf(fn.inputs.memorySize ?? 128, `${fn.name}.memorySize`),
    }));
    const appRunner = run.ofType("aws:apprunner/service:Service").map((service) => {
        const instance = (service.inputs.instanceConfiguration ?? {}) as Inputs;
        return {
            name: service.name,
            cpu: numberOf(instance.cpu ?? 1024, `${service.name}.instanceConfiguration.cpu`),
            memoryMb: numberOf(instance.memory ?? 2048, `${service.name}.instanceConfiguration.memory`),
        };
    });
    const loadBalancers = [
        ...run.ofType("aws:lb/loadBalancer:LoadBalancer").map((lb) => ({
            name: lb.name,
            runtime: "Fargate" as const,
            internetFacing: lb.inputs.internal !== true,
            subnets: (lb.inputs.subnets as unknown[] | undefined)?.length ?? 0,
        })),
        ...express.map((service) => ({
            name: service.name,
            runtime: "Express Mode" as const,
            internetFacing: true,
            subnets: 2,
        })),
    ];
    const logGroups = run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => ({
        name: group.name,
        retentionDays:
            group.inputs.retentionInDays === undefined
                ? undefined
                : numberOf(group.inputs.retentionInDays, `${group.name}.retentionInDays`),
    }));
    const dashboards = run.ofType("aws:cloudwatch/dashboard:Dashboard").map((dashboard) => ({ name: dashboard.name }));
    const alarms = run
        .ofType<AlarmInputs>("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((alarm) => ({ name: alarm.name, ...alarmMetricsOf(alarm) }));
    const platforms = run.ofType("docker-build:index:Image").length;
    const policies = run.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy");
    const registries = run.ofType("aws:ecr/repository:Repository").map((repository) => {
        const policy = policies.find((candidate) => candidate.inputs.repository === repository.state.name);
        const rules =
            policy === undefined ? [] : (JSON.parse(String(policy.inputs.policy)) as { rules: LifecycleRule[] }).rules;
        const releaseRule = rules.find((rule) => rule.selection.countType === "imageCountMoreThan");
        if (releaseRule === undefined) {
            throw new Error(
                `cost report: ECR repository ${repository.name} keeps images without a count limit; its storage cannot be priced`,
            );
        }
        // A release is an index plus one image per platform; the index is a few KB.
        const releases = releaseRule.selection.countNumber / (platforms + 1);
        return { name: repository.name, platformImages: releases * platforms, caches: platforms };
    });
    return {
        stack: run.stack,
        region: run.region,
        fargate,
        lambdas,
        appRunner,
        natGateways: run.ofType("awsx:ec2:Vpc").reduce((sum, vpc) => sum + natGatewaysOf(vpc), 0),
        loadBalancers,
        logGroups,
        dashboards,
        alarms,
        registries,
        // The Service's load balancer goes into the network's public subnets, where the ALB is too.
        eks: eksInventoryOf(run, loadBalancers[0]?.subnets ?? 0),
    };
}
