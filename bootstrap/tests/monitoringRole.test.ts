// The roles against the calls of the stack's monitoring, named as the program names it: the dashboard
// `<project>-<stack>`, alarms `<project>-<stack>-...` (one of them metric math) notifying the topic
// `<project>-<stack>-alarms`, an email subscription, and the /info listener rule. Against the project's own models of
// IAM (iamModel.ts) and of the provider's calls (providerCallsMonitoring.ts), not against AWS.
import * as assert from "assert";
import { projectName } from "../../config";
import { BootstrapRun, mockAccountId, runBootstrap } from "./harness";
import { evaluate, ModelPolicy } from "./iamModel";
import { callsOfRun, contextOf, ProviderCall } from "./providerCalls";
import { registeredRoles } from "./roles";
import { bootstrapForDeploys } from "./stackRuns";

const region = "us-east-1";
const scope = { account: mockAccountId, region };

/** The monitoring resources of `stack`, with the inputs the call table reads. */
function monitoringOf(stack: string) {
    const prefix = `${projectName}-${stack}`;
    const topicArn = `arn:aws:sns:${region}:${mockAccountId}:${prefix}-alarms`;
    const resource = (type: string, name: string, inputs: Record<string, unknown>) => ({
        type,
        name,
        custom: true,
        inputs,
    });
    return [
        resource("aws:cloudwatch/dashboard:Dashboard", "dashboard", { dashboardName: prefix }),
        resource("aws:cloudwatch/metricAlarm:MetricAlarm", "arm-5xx", {
            name: `${prefix}-arm-5xx-rate`,
            alarmActions: [topicArn],
            okActions: [topicArn],
        }),
        resource("aws:cloudwatch/metricAlarm:MetricAlarm", "p99-ratio", {
            name: `${prefix}-arm-p99-vs-x86`,
            alarmActions: [topicArn],
            metricQueries: [{ id: "ratio", expression: "arm / x86", returnData: true }],
        }),
        resource("aws:sns/topic:Topic", "alarms", { name: `${prefix}-alarms` }),
        resource("aws:sns/topicSubscription:TopicSubscription", "alarms-email", {
            topic: topicArn,
            protocol: "email",
            endpoint: "ops@example.com",
        }),
        resource("aws:lb/listenerRule:ListenerRule", "info-share", {}),
    ];
}

function callsOf(stack: string): (ProviderCall & { type: string })[] {
    const { calls, unknownTypes } = callsOfRun(monitoringOf(stack), scope);
    assert.deepStrictEqual(unknownTypes, []);
    return calls;
}

const decide = (policies: ModelPolicy[], call: ProviderCall, tags: Record<string, string>) =>
    evaluate(policies, { action: call.action, resource: call.resource, context: contextOf(call, tags, region) });

const describeCall = (call: ProviderCall & { type: string }) => `${call.type}: ${call.action} on ${call.resource}`;

describe("bootstrap: the roles and the stack's dashboard, alarms and alarm topic", () => {
    let bootstrap: BootstrapRun;
    before(async () => {
        bootstrap = await runBootstrap("ci", bootstrapForDeploys);
    });
    const policiesOf = (environment: string) => Object.values(registeredRoles(bootstrap)[environment].policies);

    for (const [environment, stack, otherStack] of [
        ["dev", "dev", "prod"],
        ["production", "prod", "dev"],
    ]) {
        describe(`${environment} (stack ${stack})`, () => {
            const tags = { project: projectName, stack };

            it("may create, read, update and delete them", () => {
                const calls = callsOf(stack);
                const refused = calls.filter((call) => decide(policiesOf(environment), call, tags) !== "allow");
                assert.deepStrictEqual(refused.map(describeCall), []);
                // `pulumi destroy` among them.
                const actions = new Set(calls.map((call) => call.action));
                for (const action of [
                    "cloudwatch:DeleteDashboards",
                    "cloudwatch:DeleteAlarms",
                    "sns:DeleteTopic",
                    "sns:Unsubscribe",
                ]) {
                    assert.ok(actions.has(action), action);
                }
            });

            it("may not touch another stack's, whatever their tags", () => {
                const policies = policiesOf(environment);
                for (const foreignTags of [tags, { ...tags, stack: otherStack }]) {
                    const allowed = callsOf(otherStack).filter(
                        (call) =>
                            call.type !== "aws:lb/listenerRule:ListenerRule" &&
                            decide(policies, call, foreignTags) === "allow",
                    );
                    assert.deepStrictEqual(allowed.map(describeCall), [], JSON.stringify(foreignTags));
                }
            });

            it("may not change an alarm or topic of its names that carries another stack's tags, or none", () => {
                const policies = policiesOf(environment);
                const scoped = callsOf(stack).filter(
                    (call) => ["creates", "uses"].includes(call.kind) && /^(cloudwatch|sns):/.test(call.action),
                );
                assert.ok(scoped.length > 10);
                for (const foreignTags of [{ ...tags, stack: otherStack }, { ...tags, project: "someone-else" }, {}]) {
                    const allowed = scoped.filter((call) => decide(policies, call, foreignTags) === "allow");
                    assert.deepStrictEqual(allowed.map(describeCall), [], JSON.stringify(foreignTags));
                }
                // PutMetricAlarm overwrites an existing alarm of that name: with the stack's tags in the request, but
                // not onto an alarm of another stack.
                const alarm = `arn:aws:cloudwatch:${region}:${mockAccountId}:alarm:${projectName}-${stack}-arm-5xx-rate`;
                const overwrite = {
                    "aws:RequestTag/project": projectName,
                    "aws:RequestTag/stack": stack,
                    "aws:ResourceTag/project": projectName,
                    "aws:ResourceTag/stack": otherStack,
                    "aws:RequestedRegion": region,
                };
                assert.strictEqual(
                    evaluate(policies, { action: "cloudwatch:PutMetricAlarm", resource: alarm, context: overwrite }),
                    "explicit-deny",
                );
            });

            it("may create alarms that notify SNS only, and subscribe only email to the topic", () => {
                const policies = policiesOf(environment);
                const calls = callsOf(stack);
                const putAlarm = calls.find((call) => call.action === "cloudwatch:PutMetricAlarm");
                const subscribe = calls.find((call) => call.action === "sns:Subscribe");
                assert.ok(putAlarm !== undefined && subscribe !== undefined);
                for (const action of [
                    `arn:aws:automate:${region}:ec2:terminate`,
                    `arn:aws:lambda:${region}:${mockAccountId}:function:anything`,
                    `arn:aws:ssm:${region}:${mockAccountId}:opsitem:3`,
                ]) {
                    const terminating: ProviderCall = { ...putAlarm, extra: { "cloudwatch:AlarmActions": [action] } };
                    assert.strictEqual(decide(policies, terminating, tags), "implicit-deny", action);
                }
                for (const protocol of ["https", "lambda", "sqs", "sms"]) {
                    const other: ProviderCall = { ...subscribe, extra: { "sns:Protocol": protocol } };
                    assert.strictEqual(decide(policies, other, tags), "implicit-deny", protocol);
                }
            });
        });

        it(`preview-${stack} refuses every one of those calls: a preview reads no resource`, () => {
            const policies = policiesOf(`preview-${stack}`);
            const tags = { project: projectName, stack };
            const allowed = callsOf(stack).filter((call) => decide(policies, call, tags) === "allow");
            assert.deepStrictEqual(allowed.map(describeCall), []);
        });
    }
});
