/**
 * The stack's monitoring, read back from AWS: the CloudWatch dashboard, every alarm the stack exported, and the ARM
 * service's deployment alarms with rollback. Each takes its client, so tests run it against mocks.
 */
import {
    CloudWatchClient,
    DashboardNotFoundError,
    DescribeAlarmsCommand,
    GetDashboardCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";

import { Check, fail, pass } from "./checks";

/** GetDashboard answers a missing dashboard with ResourceNotFound, which the SDK raises as DashboardNotFoundError. */
export async function checkDashboard(
    cloudwatch: Pick<CloudWatchClient, "send">,
    dashboardName: string,
): Promise<Check> {
    const name = `CloudWatch dashboard ${dashboardName}`;
    try {
        const dashboard = await cloudwatch.send(new GetDashboardCommand({ DashboardName: dashboardName }));
        const widgets = (JSON.parse(dashboard.DashboardBody ?? "{}") as { widgets?: unknown[] }).widgets ?? [];
        return widgets.length > 0
            ? pass(name, `exists with ${widgets.length} widgets`)
            : fail(name, "exists but shows no widget");
    } catch (err) {
        if (err instanceof DashboardNotFoundError) {
            return fail(name, "does not exist");
        }
        throw err;
    }
}

/** DescribeAlarms takes at most 100 names a request (CloudWatch API reference, DescribeAlarms `AlarmNames`). */
const alarmNamesPerRequest = 100;

/** Every alarm the stack exported exists as a metric alarm (DescribeAlarms returns metric alarms unless asked). */
export async function checkAlarms(
    cloudwatch: Pick<CloudWatchClient, "send">,
    alarmNames: readonly string[],
): Promise<Check> {
    const name = "CloudWatch alarms";
    if (alarmNames.length === 0) {
        return fail(name, "the stack exported no alarm");
    }
    const found = new Set<string>();
    for (let start = 0; start < alarmNames.length; start += alarmNamesPerRequest) {
        let nextToken: string | undefined;
        do {
            const page = await cloudwatch.send(
                new DescribeAlarmsCommand({
                    AlarmNames: alarmNames.slice(start, start + alarmNamesPerRequest),
                    NextToken: nextToken,
                }),
            );
            (page.MetricAlarms ?? []).forEach((alarm) => found.add(alarm.AlarmName ?? ""));
            nextToken = page.NextToken;
        } while (nextToken);
    }
    const missing = alarmNames.filter((alarmName) => !found.has(alarmName));
    return missing.length === 0
        ? pass(name, `all ${alarmNames.length} exist`)
        : fail(name, `${missing.length} of ${alarmNames.length} missing: ${missing.join(", ")}`);
}

/**
 * The ARM service's deployment configuration watches alarms of the stack and rolls a release back when one goes
 * off (ECS API reference, DeploymentAlarms: `enable`, `rollback`, `alarmNames`).
 */
export async function checkDeploymentAlarms(
    ecs: Pick<ECSClient, "send">,
    cluster: string,
    serviceName: string,
    stackAlarmNames: readonly string[],
): Promise<Check> {
    const name = `ECS ${serviceName} deployment alarms`;
    const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    const service = answer.services?.[0];
    if (service === undefined) {
        return fail(name, `service ${serviceName} not found in cluster ${cluster}`);
    }
    const alarms = service.deploymentConfiguration?.alarms;
    const watched = alarms?.alarmNames ?? [];
    const problems = [
        ...(alarms?.enable === true ? [] : ["alarms are off (enable is not true)"]),
        ...(alarms?.rollback === true ? [] : ["rollback is off"]),
        ...(watched.length > 0 ? [] : ["no alarm is named"]),
        ...watched.filter((alarm) => !stackAlarmNames.includes(alarm)).map((alarm) => `${alarm} is not a stack alarm`),
    ];
    return problems.length === 0
        ? pass(name, `on with rollback, watching ${watched.join(", ")}`)
        : fail(name, problems.join("; "));
}
