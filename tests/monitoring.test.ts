// The dashboard and alarms that judge the move to Graviton: what each stack registers, read back from the mock run's
// resources (the dashboard body parsed as CloudWatch would read it), never from restated names.
import * as assert from "assert";
import { p99MinRequests } from "../components/monitoring";
import { eksRun, everyRuntimeRun, ProgramRun, projectName, runProgram, stackRun, withEks } from "./harness";

type Metric = unknown[];
interface Widget {
    type: string;
    properties: { title?: string; metrics?: Metric[]; markdown?: string; alarms?: string[] };
}
interface Query {
    id: string;
    expression?: string;
    returnData?: boolean;
    metric?: { metricName: string; dimensions: Record<string, string>; stat: string };
}
interface AlarmInputs {
    name: string;
    threshold: number;
    metricQueries?: Query[];
    dimensions?: Record<string, string>;
    extendedStatistic?: string;
    evaluateLowSampleCountPercentiles?: string;
    alarmActions?: string[];
    okActions?: string[];
}

const key = (name: string) => `${projectName}:${name}`;

function widgets(run: ProgramRun): Widget[] {
    const dashboard = run.one<{ dashboardBody: string }>("aws:cloudwatch/dashboard:Dashboard");
    return (JSON.parse(dashboard.inputs.dashboardBody) as { widgets: Widget[] }).widgets;
}

/** Every metric of every graph, as `namespace metric dimension=value ...`. */
function metricLines(run: ProgramRun): string[] {
    return widgets(run)
        .flatMap((widget) => widget.properties.metrics ?? [])
        .filter((metric) => typeof metric[0] === "string")
        .map((metric) => {
            const parts = metric.filter((part) => typeof part === "string") as string[];
            const dimensions = [];
            for (let at = 2; at + 1 < parts.length; at += 2) {
                dimensions.push(`${parts[at]}=${parts[at + 1]}`);
            }
            return [parts[0], parts[1], ...dimensions].join(" ");
        });
}

const state = (run: ProgramRun, type: string, name: string, output: string) =>
    String(run.one(type, name).state[output]);

function alarms(run: ProgramRun) {
    return run.ofType<AlarmInputs>("aws:cloudwatch/metricAlarm:MetricAlarm");
}

function alarmNamed(run: ProgramRun, suffix: string) {
    const found = alarms(run).filter((alarm) => alarm.inputs.name.endsWith(`-${suffix}`));
    assert.strictEqual(found.length, 1, `one alarm ending in -${suffix}`);
    return found[0].inputs;
}

describe("monitoring: the dashboard and alarms that compare x86 and ARM", () => {
    for (const stack of ["dev", "prod"]) {
        describe(stack, () => {
            let run: ProgramRun;
            let targetGroup: Record<"x86" | "arm", string>;
            let loadBalancer: string;
            before(async () => {
                run = await stackRun(stack);
                loadBalancer = state(run, "aws:lb/loadBalancer:LoadBalancer", "web", "arnSuffix");
                targetGroup = {
                    x86: state(run, "aws:lb/targetGroup:TargetGroup", "web-x86", "arnSuffix"),
                    arm: state(run, "aws:lb/targetGroup:TargetGroup", "web-arm", "arnSuffix"),
                };
            });

            it(`registers the dashboard ${projectName}-${stack} and gives its name and console URL as outputs`, () => {
                const dashboard = run.one<{ dashboardName: string }>("aws:cloudwatch/dashboard:Dashboard");
                assert.strictEqual(dashboard.inputs.dashboardName, `${projectName}-${stack}`);
                assert.strictEqual(run.outputs.dashboardName, dashboard.inputs.dashboardName);
                assert.strictEqual(
                    run.outputs.dashboardUrl,
                    `https://${run.region}.console.aws.amazon.com/cloudwatch/home?region=${run.region}#dashboards/dashboard/${dashboard.inputs.dashboardName}`,
                );
            });

            it("graphs the stack's own load balancer, target groups, services, cluster and function", () => {
                const lines = metricLines(run);
                const cluster = state(run, "aws:ecs/cluster:Cluster", "web", "name");
                const functionName = state(run, "aws:lambda/function:Function", "api", "name");
                for (const arch of ["x86", "arm"] as const) {
                    const target = `TargetGroup=${targetGroup[arch]} LoadBalancer=${loadBalancer}`;
                    const service = `ClusterName=${cluster} ServiceName=${state(run, "aws:ecs/service:Service", `web-${arch}`, "name")}`;
                    for (const expected of [
                        `AWS/ApplicationELB TargetResponseTime ${target}`,
                        `AWS/ApplicationELB RequestCount ${target}`,
                        `AWS/ApplicationELB HTTPCode_Target_5XX_Count ${target}`,
                        `AWS/ECS CPUUtilization ${service}`,
                        `AWS/ECS MemoryUtilization ${service}`,
                    ]) {
                        assert.ok(lines.includes(expected), `${expected} in\n${lines.join("\n")}`);
                    }
                }
                for (const metric of ["Duration", "Errors"]) {
                    assert.ok(lines.includes(`AWS/Lambda ${metric} FunctionName=${functionName}`), metric);
                }
            });

            it("counts tasks with Container Insights where the cluster has it, else by healthy targets", () => {
                const insights = run.one<{ settings: { value: string }[] }>("aws:ecs/cluster:Cluster", "web").inputs
                    .settings[0].value;
                const counted = metricLines(run).filter(
                    (line) => line.includes("RunningTaskCount") || line.includes("HealthyHostCount"),
                );
                assert.ok(counted.length > 0);
                for (const line of counted) {
                    assert.ok(
                        line.startsWith(
                            insights === "enabled"
                                ? "ECS/ContainerInsights RunningTaskCount"
                                : "AWS/ApplicationELB HealthyHostCount",
                        ),
                        line,
                    );
                }
            });

            it("prices a million requests per architecture by metric math over the stack's own requests and tasks", () => {
                const price = widgets(run).find((widget) => widget.properties.title?.startsWith("Compute dollars"));
                assert.ok(price !== undefined, "a price-performance widget");
                const expressions = (price.properties.metrics ?? [])
                    .map((metric) => metric[0] as { expression?: string })
                    .flatMap((first) => (typeof first === "object" && first.expression ? [first.expression] : []));
                assert.deepStrictEqual(
                    expressions.map((expression) => expression.replace(/\b\d[\d.]*(e-\d+)?\b/g, "N")),
                    [
                        "N * tasks_x86 * N / requests_x86",
                        "N * tasks_arm * N / requests_arm",
                        "N + N * N * duration / invocations",
                    ],
                );
            });

            it(`names every alarm ${projectName}-${stack}-… and lists them all in alarmNames`, () => {
                const names = alarms(run).map((alarm) => alarm.inputs.name);
                assert.strictEqual(names.length, 5);
                assert.deepStrictEqual([...(run.outputs.alarmNames as string[])].sort(), [...names].sort());
                for (const name of names) {
                    assert.ok(name.startsWith(`${projectName}-${stack}-`), name);
                }
            });

            it("alarms on each target group's 5xx rate and p99, on its own dimensions", () => {
                for (const arch of ["x86", "arm"] as const) {
                    const dimensions = { TargetGroup: targetGroup[arch], LoadBalancer: loadBalancer };
                    const p99 = alarmNamed(run, `${arch}-p99-latency`);
                    assert.deepStrictEqual(p99.dimensions, dimensions);
                    assert.strictEqual(p99.threshold, 1);
                    const rate = alarmNamed(run, `${arch}-target-5xx-rate`);
                    assert.deepStrictEqual(
                        rate.metricQueries?.map((query) => query.metric?.dimensions ?? query.expression),
                        [dimensions, dimensions, "100 * FILL(errors, 0) / requests"],
                    );
                }
            });

            it("compares ARM's p99 with x86's by metric math, at 1.2 unless set, only on minutes busy enough on both", () => {
                const ratio = alarmNamed(run, "arm-p99-vs-x86");
                assert.strictEqual(ratio.threshold, 1.2);
                const queries = ratio.metricQueries ?? [];
                const idOf = (metricName: string, arch: "x86" | "arm") => {
                    const found = queries.filter(
                        (query) =>
                            query.metric?.metricName === metricName &&
                            query.metric.dimensions.TargetGroup === targetGroup[arch],
                    );
                    assert.strictEqual(found.length, 1, `one ${metricName} query on the ${arch} target group`);
                    return found[0].id;
                };
                const p99 = { arm: idOf("TargetResponseTime", "arm"), x86: idOf("TargetResponseTime", "x86") };
                const requests = { arm: idOf("RequestCount", "arm"), x86: idOf("RequestCount", "x86") };
                for (const id of [p99.arm, p99.x86]) {
                    assert.strictEqual(queries.find((query) => query.id === id)?.metric?.stat, "p99");
                }
                for (const id of [requests.arm, requests.x86]) {
                    assert.strictEqual(queries.find((query) => query.id === id)?.metric?.stat, "Sum");
                }
                // A quiet minute on either side yields 0, never above the threshold: no rollback from a few requests.
                assert.deepStrictEqual(
                    queries.filter((query) => query.returnData).map((query) => query.expression),
                    [
                        `IF(${requests.arm} >= ${p99MinRequests} AND ${requests.x86} >= ${p99MinRequests}, ${p99.arm} / ${p99.x86}, 0)`,
                    ],
                );
                assert.ok(p99MinRequests >= 1000, "no fewer requests than CloudWatch wants for a p99");
            });

            it("leaves each p99 alarm unjudged in a minute with too few requests for a p99", () => {
                for (const arch of ["x86", "arm"] as const) {
                    const p99 = alarmNamed(run, `${arch}-p99-latency`);
                    assert.strictEqual(p99.extendedStatistic, "p99");
                    assert.strictEqual(p99.evaluateLowSampleCountPercentiles, "ignore");
                }
            });

            it("rolls the ARM service back when its 5xx, p99 or p99-against-x86 alarm fires; x86 keeps its breaker only", () => {
                const arm = run.one<{ alarms?: { enable: boolean; rollback: boolean; alarmNames: string[] } }>(
                    "aws:ecs/service:Service",
                    "web-arm",
                );
                assert.deepStrictEqual(arm.inputs.alarms, {
                    enable: true,
                    rollback: true,
                    alarmNames: ["arm-target-5xx-rate", "arm-p99-latency", "arm-p99-vs-x86"].map(
                        (suffix) => alarmNamed(run, suffix).name,
                    ),
                });
                assert.strictEqual(run.one("aws:ecs/service:Service", "web-x86").inputs.alarms, undefined);
            });

            it("notifies nobody and creates no topic unless told to", () => {
                assert.deepStrictEqual(run.ofType("aws:sns/topic:Topic"), []);
                assert.strictEqual(run.outputs.alarmTopicArn, null);
                for (const alarm of alarms(run)) {
                    assert.strictEqual(alarm.inputs.alarmActions, undefined, alarm.inputs.name);
                }
            });
        });
    }

    it("monitoring.alarmEmail: creates the topic <project>-<stack>-alarms, subscribes the address, and every alarm notifies it", async () => {
        const run = await runProgram("dev", { config: { [key("monitoring.alarmEmail")]: "ops@example.com" } });
        const topic = run.one<{ name: string }>("aws:sns/topic:Topic");
        assert.strictEqual(topic.inputs.name, `${projectName}-dev-alarms`);
        const arn = String(topic.state.arn);
        assert.deepStrictEqual(
            run.one<{ topic: string; protocol: string; endpoint: string }>(
                "aws:sns/topicSubscription:TopicSubscription",
            ).inputs,
            { topic: arn, protocol: "email", endpoint: "ops@example.com" },
        );
        assert.strictEqual(run.outputs.alarmTopicArn, arn);
        for (const alarm of alarms(run)) {
            assert.deepStrictEqual([alarm.inputs.alarmActions, alarm.inputs.okActions], [[arn], [arn]]);
        }
    });

    it("monitoring.alarmTopicArn: notifies an existing topic and creates none", async () => {
        const existing = "arn:aws:sns:us-east-1:123456789012:ops-alarms";
        const run = await runProgram("prod", {
            config: { [key("monitoring.alarmTopicArn")]: existing, [key("monitoring.p99RatioThreshold")]: "1.5" },
        });
        assert.deepStrictEqual(run.ofType("aws:sns/topic:Topic"), []);
        assert.strictEqual(run.outputs.alarmTopicArn, existing);
        for (const alarm of alarms(run)) {
            assert.deepStrictEqual(alarm.inputs.alarmActions, [existing]);
        }
        assert.strictEqual(alarmNamed(run, "arm-p99-vs-x86").threshold, 1.5);
    });

    it("adds a panel for Express Mode, App Runner and EKS when each is on, naming its own service or nodes", async () => {
        const every = await everyRuntimeRun("dev");
        const lines = metricLines(every);
        const express = every.one("aws:ecs/expressGatewayService:ExpressGatewayService");
        const expressCluster = state(every, "aws:ecs/cluster:Cluster", "express", "name");
        assert.ok(
            lines.includes(
                `AWS/ECS CPUUtilization ClusterName=${expressCluster} ServiceName=${String(express.state.serviceName)}`,
            ),
        );
        const appRunner = every.one("aws:apprunner/service:Service");
        assert.ok(
            lines.includes(
                `AWS/AppRunner Requests ServiceName=${String(appRunner.state.serviceName)} ServiceID=${String(appRunner.state.serviceId)}`,
            ),
            lines.filter((line) => line.startsWith("AWS/AppRunner")).join("\n"),
        );
        const eks = await eksRun("dev");
        const nodeGroup = eks.one<Record<string, unknown>>("aws:eks/nodeGroup:NodeGroup").state as {
            resources: { autoscalingGroups: { name: string }[] }[];
        };
        assert.ok(
            metricLines(eks).includes(
                `AWS/EC2 CPUUtilization AutoScalingGroupName=${nodeGroup.resources[0].autoscalingGroups[0].name}`,
            ),
        );
        const plain = metricLines(await stackRun("dev"));
        assert.ok(!plain.some((line) => /AWS\/AppRunner|AWS\/EC2/.test(line)));
    });

    it("leaves the EKS panel out while the node group reports no Auto Scaling group, rather than graph no nodes", async () => {
        const run = await runProgram("dev", {
            config: withEks,
            state: (type, _name, state) =>
                type === "aws:eks/nodeGroup:NodeGroup" ? { ...state, resources: [] } : state,
        });
        assert.ok(run.ofType("aws:eks/nodeGroup:NodeGroup").length > 0);
        assert.ok(!widgets(run).some((widget) => widget.properties.title?.startsWith("EKS")));
        assert.ok(!metricLines(run).some((line) => line.startsWith("AWS/EC2")));
    });

    it("says the price view is missing, rather than guessing, in a region prices/ has no table for", async () => {
        const run = await runProgram("dev", { config: { "aws:region": "ap-southeast-2" } });
        const text = widgets(run).find((widget) => widget.type === "text");
        assert.match(text?.properties.markdown ?? "", /no prices for this region/);
        assert.ok(!widgets(run).some((widget) => widget.properties.title?.startsWith("Compute dollars")));
    });
});
