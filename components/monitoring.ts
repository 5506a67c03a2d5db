// The Graviton move, measured: one CloudWatch dashboard with x86 and ARM side by side, alarms per architecture, the
// ARM service's deployment alarms, and optional SNS notifications. Metric names, dimensions and the dashboard body
// schema are cited in docs/platform-facts.md ("Monitoring").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumedFargateSpotDiscount, RegionPrices } from "../prices/prices";
import { componentType, projectName } from "./project";
import { checkArguments, matching, numberBetween, Problem, wholeNumber } from "./rules";

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const monitoringDefaults: Readonly<
    Required<Pick<MonitoringSettings, "p99LatencyMs" | "target5xxPercent" | "p99RatioThreshold">>
> = {
    p99LatencyMs: 1000,
    target5xxPercent: 5,
    p99RatioThreshold: 1.2,
};

/** The thresholds and where alarms notify: every value a stack may set. */
export interface MonitoringSettings {
    /** A target group's p99 response time, in milliseconds, above which its alarm fires. */
    readonly p99LatencyMs?: number;
    /** The share of a target group's requests answered 5xx by its targets, in percent, above which its alarm fires. */
    readonly target5xxPercent?: number;
    /** ARM's p99 divided by x86's, above which the comparison alarm fires. */
    readonly p99RatioThreshold?: number;
    /** An address the program subscribes to a topic it creates for the alarms; not with `alarmTopicArn`. */
    readonly alarmEmail?: string;
    /** An existing SNS topic the alarms notify; nothing is created. Not with `alarmEmail`. */
    readonly alarmTopicArn?: string;
}

/** One ECS service behind its target group. */
export interface MonitoredService {
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
}

/** What an hour of one task and a million Lambda requests cost: the figures behind the price-performance view. */
export interface PricePerformance {
    readonly x86TaskHour: number;
    readonly armTaskHour: number;
    /** Dollars per million requests, and per millisecond of Lambda duration at the function's memory. */
    readonly lambdaPerMillionRequests: number;
    readonly lambdaPerMs: number;
}

export interface MonitoringArgs extends MonitoringSettings {
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    readonly services: Readonly<Record<Architecture, MonitoredService>>;
    readonly functionName: pulumi.Input<string>;
    /** Whether the cluster publishes Container Insights, which alone counts a service's running tasks. */
    readonly containerInsights?: boolean;
    /** Absent where prices/ has no table for the region: the dashboard then says so instead of a price view. */
    readonly prices?: PricePerformance;
    /** The node group's Auto Scaling group, when the provider reports one: the EKS panel graphs its nodes. */
    readonly eks?: {
        readonly clusterName: pulumi.Input<string>;
        readonly autoScalingGroupName: pulumi.Input<string | undefined>;
    };
    readonly express?: { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> };
    readonly appRunner?: { readonly serviceName: pulumi.Input<string>; readonly serviceId: pulumi.Input<string> };
}

export type Architecture = "x86" | "arm";
const architectures: readonly Architecture[] = ["x86", "arm"];

/** What each threshold and notification setting allows on its own; monitoringProblems checks them together. */
export const monitoringRules = {
    p99LatencyMs: wholeNumber(10, 60000),
    target5xxPercent: wholeNumber(1, 100),
    p99RatioThreshold: numberBetween(1, 10),
    alarmEmail: matching(/^[^@\s]+@[^@\s]+\.[a-z]{2,63}$/i, "expected an email address like ops@example.com"),
    alarmTopicArn: matching(
        /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/,
        "expected an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:alarms",
    ),
} as const;

/** The two ways to notify exclude each other: with both, which topic the alarms use would be a guess. */
export function monitoringProblems(args: MonitoringSettings): Problem[] {
    return args.alarmEmail !== undefined && args.alarmTopicArn !== undefined
        ? [
              {
                  key: "alarmTopicArn",
                  value: args.alarmTopicArn,
                  message:
                      "not with alarmEmail: set alarmEmail for a topic the program creates, or alarmTopicArn for one of yours",
              },
          ]
        : [];
}

/** `<project>-<stack>`: the dashboard's name and the first part of every alarm's and the topic's. */
export function monitoringPrefix(stack: string): string {
    return `${projectName}-${stack}`;
}

/** Alarm names by what they watch; every one starts with the stack's prefix (the CI roles are scoped by it). */
export function alarmNamesFor(stack: string) {
    const prefix = monitoringPrefix(stack);
    return {
        x86Target5xx: `${prefix}-x86-target-5xx-rate`,
        armTarget5xx: `${prefix}-arm-target-5xx-rate`,
        x86P99: `${prefix}-x86-p99-latency`,
        armP99: `${prefix}-arm-p99-latency`,
        armP99VsX86: `${prefix}-arm-p99-vs-x86`,
    } as const;
}

/** The Fargate task sizes and Spot settings a task-hour price depends on, and the function's memory. */
export interface PricedSizes {
    readonly cpu: number;
    readonly memory: number;
    readonly armSpot: boolean;
    readonly armSpotOnDemandBase: number;
    readonly armDesiredCount: number;
    readonly lambdaMemoryMb: number;
}

/**
 * The prices `npm run cost` uses, per task-hour and per Lambda request. With Spot, an ARM task-hour is the blend of
 * the on-demand base and Spot at the desired count, Spot at the cost report's assumed discount.
 */
export function pricePerformance(prices: RegionPrices, sizes: PricedSizes): PricePerformance {
    const taskHour = (rate: { perVcpuHour: number; perGbHour: number }) =>
        (sizes.cpu / 1024) * rate.perVcpuHour + (sizes.memory / 1024) * rate.perGbHour;
    const armOnDemand = taskHour(prices.fargate.arm);
    const tasks = Math.max(sizes.armDesiredCount, 1);
    const onDemandTasks = sizes.armSpot ? Math.min(sizes.armSpotOnDemandBase, tasks) : tasks;
    const armTaskHour =
        (onDemandTasks * armOnDemand + (tasks - onDemandTasks) * armOnDemand * (1 - assumedFargateSpotDiscount)) /
        tasks;
    return {
        x86TaskHour: taskHour(prices.fargate.x86),
        armTaskHour,
        lambdaPerMillionRequests: prices.lambda.perMillionRequests,
        lambdaPerMs: (sizes.lambdaMemoryMb / 1024) * (prices.lambda.armPerGbSecond / 1000),
    };
}

/** A metric of a dashboard widget: namespace, name, dimension pairs, then its options (dashboard body schema). */
type WidgetMetric = pulumi.Input<unknown>[];

const alb = "AWS/ApplicationELB";
/** ALB target metrics arrive each minute while there are requests (docs/platform-facts.md, "Monitoring"). */
const alarmPeriod = 60;
const evaluation = { evaluationPeriods: 5, datapointsToAlarm: 3, treatMissingData: "notBreaching" } as const;
/**
 * Requests a minute below which a p99 is noise: CloudWatch itself leaves a p99 alarm unjudged under 10 / (1 - 0.99)
 * samples a period (docs/platform-facts.md, "Monitoring"); the comparison alarm holds itself to the same count.
 */
export const p99MinRequests = 1000;

/**
 * A CloudWatch dashboard comparing the two architectures, and alarms per target group plus one comparing ARM's p99
 * with x86's. The ARM ECS service takes `armDeploymentAlarmNames` as its deployment alarms.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly dashboard: aws.cloudwatch.Dashboard;
    public readonly dashboardUrl: pulumi.Output<string>;
    public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
    /** The alarms that fail and roll back an ARM deployment: its 5xx rate, its p99 and its p99 against x86's. */
    public readonly armDeploymentAlarmNames: pulumi.Output<string[]>;
    /** The topic the alarms notify: the program's own with `alarmEmail`, else `alarmTopicArn`; undefined without. */
    public readonly alarmTopicArn?: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = { ...monitoringDefaults, ...args };
        checkArguments("Monitoring", monitoringRules, settings, monitoringProblems);
        super(componentType("cloudwatch", "Monitoring"), name, {}, opts);

        const stack = pulumi.getStack();
        const prefix = monitoringPrefix(stack);
        const names = alarmNamesFor(stack);
        const region = aws.getRegionOutput({}, { parent: this }).region;

        if (args.alarmEmail !== undefined) {
            const topic = new aws.sns.Topic(`${name}-alarms`, { name: `${prefix}-alarms` }, { parent: this });
            // An email subscription waits for the address to confirm it; until then nothing is delivered.
            new aws.sns.TopicSubscription(
                `${name}-alarms-email`,
                { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
                { parent: this },
            );
            this.alarmTopicArn = topic.arn;
        } else if (args.alarmTopicArn !== undefined) {
            this.alarmTopicArn = pulumi.output(args.alarmTopicArn);
        }
        const actions =
            this.alarmTopicArn === undefined
                ? {}
                : { alarmActions: [this.alarmTopicArn], okActions: [this.alarmTopicArn] };

        const dimensions = (arch: Architecture) => ({
            TargetGroup: args.services[arch].targetGroupArnSuffix,
            LoadBalancer: args.loadBalancerArnSuffix,
        });
        const alarm = (alarmName: string, description: string, rest: Omit<aws.cloudwatch.MetricAlarmArgs, "name">) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${alarmName.slice(prefix.length + 1)}`,
                { name: alarmName, alarmDescription: description, ...evaluation, ...actions, ...rest },
                { parent: this },
            );

        const target5xx = (arch: Architecture) =>
            alarm(
                arch === "x86" ? names.x86Target5xx : names.armTarget5xx,
                `${arch} target group: more than ${settings.target5xxPercent}% of requests answered 5xx by the tasks`,
                {
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: settings.target5xxPercent,
                    metricQueries: [
                        {
                            id: "errors",
                            metric: {
                                namespace: alb,
                                metricName: "HTTPCode_Target_5XX_Count",
                                dimensions: dimensions(arch),
                                period: alarmPeriod,
                                stat: "Sum",
                            },
                        },
                        {
                            id: "requests",
                            metric: {
                                namespace: alb,
                                metricName: "RequestCount",
                                dimensions: dimensions(arch),
                                period: alarmPeriod,
                                stat: "Sum",
                            },
                        },
                        // No 5xx in a minute publishes no data point: FILL counts it as none.
                        {
                            id: "rate",
                            expression: "100 * FILL(errors, 0) / requests",
                            label: "target 5xx %",
                            returnData: true,
                        },
                    ],
                },
            );
        const p99 = (arch: Architecture) =>
            alarm(
                arch === "x86" ? names.x86P99 : names.armP99,
                `${arch} target group: p99 response time above ${settings.p99LatencyMs} ms`,
                {
                    comparisonOperator: "GreaterThanThreshold",
                    // TargetResponseTime is in seconds.
                    threshold: settings.p99LatencyMs / 1000,
                    namespace: alb,
                    metricName: "TargetResponseTime",
                    dimensions: dimensions(arch),
                    period: alarmPeriod,
                    extendedStatistic: "p99",
                    // A quiet minute's p99 is near its slowest request, cold new tasks included: not a breach.
                    evaluateLowSampleCountPercentiles: "ignore",
                },
            );
        const query = (id: string, arch: Architecture, metricName: string, stat: string) => ({
            id,
            metric: { namespace: alb, metricName, dimensions: dimensions(arch), period: alarmPeriod, stat },
        });
        const ratio = alarm(
            names.armP99VsX86,
            `ARM's p99 response time more than ${settings.p99RatioThreshold} times x86's, with at least ${p99MinRequests} requests a minute on each`,
            {
                comparisonOperator: "GreaterThanThreshold",
                threshold: settings.p99RatioThreshold,
                metricQueries: [
                    query("arm", "arm", "TargetResponseTime", "p99"),
                    query("x86", "x86", "TargetResponseTime", "p99"),
                    query("requests_arm", "arm", "RequestCount", "Sum"),
                    query("requests_x86", "x86", "RequestCount", "Sum"),
                    // A minute with fewer requests on either side compares as 0, below any threshold (metric math IF).
                    {
                        id: "ratio",
                        expression: `IF(requests_arm >= ${p99MinRequests} AND requests_x86 >= ${p99MinRequests}, arm / x86, 0)`,
                        label: "ARM p99 / x86 p99",
                        returnData: true,
                    },
                ],
            },
        );
        const byArch = Object.fromEntries(
            architectures.map((arch) => [arch, { errors: target5xx(arch), p99: p99(arch) }]),
        ) as Record<Architecture, { errors: aws.cloudwatch.MetricAlarm; p99: aws.cloudwatch.MetricAlarm }>;
        this.alarms = [byArch.x86.errors, byArch.arm.errors, byArch.x86.p99, byArch.arm.p99, ratio];
        this.armDeploymentAlarmNames = pulumi.all([byArch.arm.errors.name, byArch.arm.p99.name, ratio.name]);

        this.dashboard = new aws.cloudwatch.Dashboard(
            name,
            {
                dashboardName: prefix,
                dashboardBody: pulumi.jsonStringify({
                    // Each widget keeps its own period, so the price view stays per hour (dashboard body schema).
                    periodOverride: "inherit",
                    widgets: pulumi
                        .output(args.eks?.autoScalingGroupName)
                        .apply((nodes) => layout(widgetsFor(args, region, this.alarms, nodes))),
                }),
            },
            { parent: this },
        );
        this.dashboardUrl = pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${this.dashboard.dashboardName}`;

        this.registerOutputs({ dashboardName: this.dashboard.dashboardName, dashboardUrl: this.dashboardUrl });
    }
}

/** A widget before layout: its type, width and properties. */
interface Widget {
    readonly type: "metric" | "text" | "alarm";
    readonly width: number;
    readonly height: number;
    readonly properties: Record<string, unknown>;
}

/** Places widgets left to right on the dashboard's 24-column grid, starting a row when one is full. */
function layout(widgets: readonly Widget[]): Record<string, unknown>[] {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return widgets.map((widget) => {
        if (x + widget.width > 24) {
            x = 0;
            y += rowHeight;
            rowHeight = 0;
        }
        const placed = { ...widget, x, y };
        x += widget.width;
        rowHeight = Math.max(rowHeight, widget.height);
        return placed;
    });
}

function widgetsFor(
    args: MonitoringArgs,
    region: pulumi.Output<string>,
    alarms: readonly aws.cloudwatch.MetricAlarm[],
    eksNodes: string | undefined,
): Widget[] {
    const graph = (title: string, metrics: WidgetMetric[], more: Record<string, unknown> = {}): Widget => ({
        type: "metric",
        width: 12,
        height: 6,
        properties: { title, region, view: "timeSeries", period: 60, metrics, ...more },
    });
    const target = (arch: Architecture): pulumi.Input<string>[] => [
        "TargetGroup",
        args.services[arch].targetGroupArnSuffix,
        "LoadBalancer",
        args.loadBalancerArnSuffix,
    ];
    const service = (arch: Architecture): pulumi.Input<string>[] => [
        "ClusterName",
        args.clusterName,
        "ServiceName",
        args.services[arch].serviceName,
    ];
    const label = (arch: Architecture) => (arch === "x86" ? "x86" : "ARM");
    const perArch = (make: (arch: Architecture) => WidgetMetric[]) => architectures.flatMap(make);
    // Without Container Insights no ECS metric counts a service's tasks; the target group's healthy targets do.
    const taskCount = (arch: Architecture): WidgetMetric =>
        args.containerInsights
            ? ["ECS/ContainerInsights", "RunningTaskCount", ...service(arch)]
            : [alb, "HealthyHostCount", ...target(arch)];
    const lambda = (metric: string) => ["AWS/Lambda", metric, "FunctionName", args.functionName];

    const widgets: Widget[] = [
        graph(
            "Target response time, p50 and p99 (seconds)",
            perArch((arch) => [
                [alb, "TargetResponseTime", ...target(arch), { stat: "p50", label: `${label(arch)} p50` }],
                [alb, "TargetResponseTime", ...target(arch), { stat: "p99", label: `${label(arch)} p99` }],
            ]),
        ),
        graph(
            "Requests and target 5xx",
            perArch((arch) => [
                [alb, "RequestCount", ...target(arch), { stat: "Sum", label: `${label(arch)} requests` }],
                [alb, "HTTPCode_Target_5XX_Count", ...target(arch), { stat: "Sum", label: `${label(arch)} 5xx` }],
            ]),
        ),
        graph(
            "ECS CPU and memory utilisation (%)",
            perArch((arch) => [
                ["AWS/ECS", "CPUUtilization", ...service(arch), { stat: "Average", label: `${label(arch)} CPU` }],
                ["AWS/ECS", "MemoryUtilization", ...service(arch), { stat: "Average", label: `${label(arch)} memory` }],
            ]),
        ),
        graph(
            args.containerInsights ? "Running tasks" : "Healthy targets (tasks answering health checks)",
            perArch((arch) => [[...taskCount(arch), { stat: "Average", label: label(arch) }]]),
        ),
        graph("Lambda arm64: duration (ms) and errors", [
            [...lambda("Duration"), { stat: "p50", label: "duration p50" }],
            [...lambda("Duration"), { stat: "p99", label: "duration p99" }],
            [...lambda("Errors"), { stat: "Sum", label: "errors", yAxis: "right" }],
        ]),
        pricePerformanceWidget(args, graph, target, taskCount, lambda),
        {
            type: "alarm",
            width: 12,
            height: 6,
            properties: { title: "Alarms", alarms: alarms.map((alarm) => alarm.arn) },
        },
    ];
    if (args.express !== undefined) {
        const express = ["ClusterName", args.express.clusterName, "ServiceName", args.express.serviceName];
        widgets.push(
            graph("Express Mode (amd64): CPU and memory utilisation (%)", [
                ["AWS/ECS", "CPUUtilization", ...express, { stat: "Average", label: "CPU" }],
                ["AWS/ECS", "MemoryUtilization", ...express, { stat: "Average", label: "memory" }],
            ]),
        );
    }
    if (args.appRunner !== undefined) {
        const appRunner = ["ServiceName", args.appRunner.serviceName, "ServiceID", args.appRunner.serviceId];
        widgets.push(
            graph("App Runner (amd64): requests, 5xx and p99 latency (ms)", [
                ["AWS/AppRunner", "Requests", ...appRunner, { stat: "Sum", label: "requests" }],
                ["AWS/AppRunner", "5xxStatusResponses", ...appRunner, { stat: "Sum", label: "5xx" }],
                ["AWS/AppRunner", "RequestLatency", ...appRunner, { stat: "p99", label: "p99", yAxis: "right" }],
            ]),
        );
    }
    // Without the node group's Auto Scaling group there is no dimension value to graph, so no panel.
    if (eksNodes) {
        widgets.push(
            graph("EKS Graviton nodes: CPU utilisation (%)", [
                ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", eksNodes, { stat: "Average", label: "nodes" }],
            ]),
        );
    }
    return widgets;
}

/**
 * Dollars per million requests per architecture, each hour: an hour's task cost (tasks × price per task-hour) over the
 * hour's requests; Lambda's from its invocations and duration.
 */
function pricePerformanceWidget(
    args: MonitoringArgs,
    graph: (title: string, metrics: WidgetMetric[], more?: Record<string, unknown>) => Widget,
    target: (arch: Architecture) => pulumi.Input<string>[],
    taskCount: (arch: Architecture) => WidgetMetric,
    lambda: (metric: string) => pulumi.Input<string>[],
): Widget {
    const prices = args.prices;
    if (prices === undefined) {
        return {
            type: "text",
            width: 12,
            height: 6,
            properties: {
                markdown:
                    "## Price per million requests\n\nprices/prices.ts has no prices for this region, so the dashboard cannot price requests here.",
            },
        };
    }
    const rounded = (value: number) => Number(value.toPrecision(6));
    const taskHour = { x86: prices.x86TaskHour, arm: prices.armTaskHour };
    const metrics: WidgetMetric[] = architectures.flatMap((arch) => [
        [alb, "RequestCount", ...target(arch), { id: `requests_${arch}`, stat: "Sum", visible: false }],
        [...taskCount(arch), { id: `tasks_${arch}`, stat: "Average", visible: false }],
        [
            {
                expression: `1000000 * tasks_${arch} * ${rounded(taskHour[arch])} / requests_${arch}`,
                label: `${arch === "x86" ? "Fargate x86" : "Fargate ARM"} ($${rounded(taskHour[arch])} a task-hour)`,
                id: `price_${arch}`,
            },
        ],
    ]);
    metrics.push(
        [...lambda("Invocations"), { id: "invocations", stat: "Sum", visible: false }],
        [...lambda("Duration"), { id: "duration", stat: "Sum", visible: false }],
        [
            {
                expression: `${rounded(prices.lambdaPerMillionRequests)} + 1000000 * ${rounded(prices.lambdaPerMs)} * duration / invocations`,
                label: "Lambda arm64",
                id: "price_lambda",
            },
        ],
    );
    return graph("Compute dollars per million requests (hourly, list prices of npm run cost)", metrics, {
        period: 3600,
    });
}
