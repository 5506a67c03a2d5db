// `npm run verify` on the stack's monitoring: the dashboard, the alarms and the ARM service's deployment alarms,
// against mocked AWS answers shaped as GetDashboard, DescribeAlarms and DescribeServices return them (CloudWatch and
// ECS API references; @aws-sdk/client-cloudwatch 3.1178.0, @aws-sdk/client-ecs 3.1162.0).
import * as assert from "assert";
import {
    CloudWatchClient,
    DashboardNotFoundError,
    DescribeAlarmsCommand,
    GetDashboardCommand,
    MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { DeploymentAlarms, DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";

import { checkAlarms, checkDashboard, checkDeploymentAlarms, parseStackOutputs } from "../commands/verify";

const cloudwatchMock = mockClient(CloudWatchClient);
const ecsMock = mockClient(ECSClient);
const cloudwatch = new CloudWatchClient({ region: "us-east-1" });
const ecs = new ECSClient({ region: "us-east-1" });

const dashboardName = "graviton-multiarch-dev";
const alarmNames = [
    "graviton-multiarch-dev-arm64-5xx-rate",
    "graviton-multiarch-dev-arm64-p99",
    "graviton-multiarch-dev-arm64-p99-vs-x86",
];
const alarm = (name: string): MetricAlarm => ({
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
    StateValue: "OK",
});

/** The ARM service as DescribeServices returns it, with the given deployment alarms. */
function armServiceWith(alarms: DeploymentAlarms | undefined) {
    ecsMock.on(DescribeServicesCommand, { cluster: "web-cluster", services: ["web-arm64"] }).resolves({
        services: [
            {
                serviceName: "web-arm64",
                deploymentConfiguration: {
                    maximumPercent: 200,
                    minimumHealthyPercent: 100,
                    deploymentCircuitBreaker: { enable: true, rollback: true },
                    alarms,
                },
            },
        ],
    });
}

describe("verify: the stack's dashboard and alarms (mocked AWS)", () => {
    beforeEach(() => {
        cloudwatchMock.reset();
        ecsMock.reset();
    });

    describe("the dashboard", () => {
        it("passes when the dashboard exists with widgets", async () => {
            cloudwatchMock.on(GetDashboardCommand, { DashboardName: dashboardName }).resolves({
                DashboardName: dashboardName,
                DashboardArn: `arn:aws:cloudwatch::123456789012:dashboard/${dashboardName}`,
                DashboardBody: JSON.stringify({ widgets: [{ type: "metric" }, { type: "metric" }] }),
            });
            const check = await checkDashboard(cloudwatch, dashboardName);
            assert.deepStrictEqual(check, {
                name: `CloudWatch dashboard ${dashboardName}`,
                ok: true,
                detail: "exists with 2 widgets",
            });
        });

        it("fails when the dashboard is missing", async () => {
            cloudwatchMock
                .on(GetDashboardCommand)
                .rejects(new DashboardNotFoundError({ message: "Dashboard does not exist", $metadata: {} }));
            const check = await checkDashboard(cloudwatch, dashboardName);
            assert.strictEqual(check.ok, false);
            assert.strictEqual(check.detail, "does not exist");
        });
    });

    describe("the alarms", () => {
        it("passes when every exported alarm exists", async () => {
            cloudwatchMock
                .on(DescribeAlarmsCommand, { AlarmNames: alarmNames })
                .resolves({ MetricAlarms: alarmNames.map(alarm) });
            const check = await checkAlarms(cloudwatch, alarmNames);
            assert.deepStrictEqual([check.ok, check.detail], [true, "all 3 exist"]);
        });

        it("fails naming the alarm that is missing", async () => {
            cloudwatchMock
                .on(DescribeAlarmsCommand)
                .resolves({ MetricAlarms: [alarm(alarmNames[0]), alarm(alarmNames[2])] });
            const check = await checkAlarms(cloudwatch, alarmNames);
            assert.deepStrictEqual([check.ok, check.detail], [false, `1 of 3 missing: ${alarmNames[1]}`]);
        });

        it("asks for at most 100 names a request and follows NextToken", async () => {
            const many = Array.from({ length: 150 }, (_, at) => `graviton-multiarch-dev-alarm-${at}`);
            cloudwatchMock
                .on(DescribeAlarmsCommand, { AlarmNames: many.slice(0, 100), NextToken: undefined })
                .resolves({ MetricAlarms: many.slice(0, 60).map(alarm), NextToken: "page-2" })
                .on(DescribeAlarmsCommand, { AlarmNames: many.slice(0, 100), NextToken: "page-2" })
                .resolves({ MetricAlarms: many.slice(60, 100).map(alarm) })
                .on(DescribeAlarmsCommand, { AlarmNames: many.slice(100) })
                .resolves({ MetricAlarms: many.slice(100).map(alarm) });
            const check = await checkAlarms(cloudwatch, many);
            assert.deepStrictEqual([check.ok, check.detail], [true, "all 150 exist"]);
            assert.strictEqual(cloudwatchMock.commandCalls(DescribeAlarmsCommand).length, 3);
        });

        it("fails when the stack exported no alarm", async () => {
            const check = await checkAlarms(cloudwatch, []);
            assert.strictEqual(check.ok, false);
            assert.strictEqual(cloudwatchMock.calls().length, 0);
        });
    });

    describe("the ARM service's deployment alarms", () => {
        const check = () => checkDeploymentAlarms(ecs, "web-cluster", "web-arm64", alarmNames);

        it("passes when they are on, roll back, and watch the stack's alarms", async () => {
            armServiceWith({ alarmNames: alarmNames.slice(0, 2), enable: true, rollback: true });
            assert.deepStrictEqual(await check(), {
                name: "ECS web-arm64 deployment alarms",
                ok: true,
                detail: `on with rollback, watching ${alarmNames[0]}, ${alarmNames[1]}`,
            });
        });

        it("fails when they are off", async () => {
            armServiceWith({ alarmNames, enable: false, rollback: true });
            assert.deepStrictEqual(
                [(await check()).ok, (await check()).detail],
                [false, "alarms are off (enable is not true)"],
            );
        });

        it("fails when the service has no deployment alarms at all", async () => {
            armServiceWith(undefined);
            assert.strictEqual(
                (await check()).detail,
                "alarms are off (enable is not true); rollback is off; no alarm is named",
            );
        });

        it("fails when rollback is off", async () => {
            armServiceWith({ alarmNames, enable: true, rollback: false });
            assert.deepStrictEqual([(await check()).ok, (await check()).detail], [false, "rollback is off"]);
        });

        it("fails when it watches an alarm that is not the stack's", async () => {
            armServiceWith({ alarmNames: ["someone-elses-alarm"], enable: true, rollback: true });
            assert.strictEqual((await check()).detail, "someone-elses-alarm is not a stack alarm");
        });

        it("fails when the service is not found", async () => {
            ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: "MISSING" }] });
            assert.strictEqual((await check()).detail, "service web-arm64 not found in cluster web-cluster");
        });
    });

    it("reads dashboardName and alarmNames from the outputs, and leaves them out of outputs saved before them", () => {
        const base = {
            region: "us-east-1",
            repositoryUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app",
            imageTag: "0123456789abcdef",
            indexRef: "i",
            amd64Ref: "a",
            arm64Ref: "b",
            lambdaFunctionName: "api-fn",
            clusterName: "web-cluster",
            serviceNames: { x86: "web-x86", arm64: "web-arm64" },
        };
        const outputs = parseStackOutputs({
            ...base,
            dashboardName,
            dashboardUrl: "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=x",
            alarmNames,
            alarmTopicArn: null,
        });
        assert.strictEqual(outputs.dashboardName, dashboardName);
        assert.deepStrictEqual(outputs.alarmNames, alarmNames);
        const before = parseStackOutputs(base);
        assert.deepStrictEqual([before.dashboardName, before.alarmNames], [undefined, undefined]);
        assert.throws(() => parseStackOutputs({ ...base, alarmNames: "one" }), /stack output "alarmNames"/);
        assert.throws(() => parseStackOutputs({ ...base, alarmNames: [""] }), /stack output "alarmNames"/);
    });
});
