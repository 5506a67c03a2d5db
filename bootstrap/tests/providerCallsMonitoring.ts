import { ArnScope, arns, creates, ProviderCall, retags, untagged, uses } from "./callKinds";

/**
 * CloudWatch dashboard and metric alarm, SNS topic and subscription calls of one resource over its life, as
 * terraform-provider-aws makes them (docs/platform-facts.md, "Monitoring for the deploy role"); undefined for other
 * types. Names come from the inputs the program sets, so a name outside the stack's shows as a refused call.
 */
export function monitoringCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
): ProviderCall[] | undefined {
    const { regional } = arns(scope);
    const named = (key: string) => (typeof inputs[key] === "string" ? String(inputs[key]) : name);
    switch (type) {
        // dashboard.go: PutDashboard to create and update, GetDashboard to read, DeleteDashboards; no tags.
        case "aws:cloudwatch/dashboard:Dashboard": {
            const dashboard = `arn:aws:cloudwatch::${scope.account}:dashboard/${named("dashboardName")}`;
            return ["PutDashboard", "GetDashboard", "DeleteDashboards"].map((action) =>
                untagged(`cloudwatch:${action}`, dashboard),
            );
        }
        // metric_alarm.go: Create looks the name up (DescribeAlarms) before PutMetricAlarm with the tags; Update
        // sends PutMetricAlarm again, with the tags; Read is DescribeAlarms and ListTagsForResource; DeleteAlarms.
        case "aws:cloudwatch/metricAlarm:MetricAlarm": {
            const alarm = regional("cloudwatch", `alarm:${named("name")}`);
            const actions = ["alarmActions", "okActions", "insufficientDataActions"].flatMap((key) =>
                Array.isArray(inputs[key]) ? (inputs[key] as unknown[]).map(String) : [],
            );
            const notifying = { "cloudwatch:AlarmActions": actions };
            return [
                // Also before the alarm exists, so without its tags; the read after is the same call.
                untagged("cloudwatch:DescribeAlarms", alarm),
                creates("cloudwatch:PutMetricAlarm", alarm, notifying),
                // Tags in PutMetricAlarm need TagResource too (@aws-sdk/client-cloudwatch, PutMetricAlarmInput.Tags).
                creates("cloudwatch:TagResource", alarm),
                uses("cloudwatch:ListTagsForResource", alarm),
                uses("cloudwatch:PutMetricAlarm", alarm, notifying),
                ...retags("cloudwatch:TagResource", "cloudwatch:UntagResource", alarm),
                uses("cloudwatch:DeleteAlarms", alarm),
            ];
        }
        // topic.go: CreateTopic with the tags, SetTopicAttributes per attribute set, GetTopicAttributes to read,
        // ListTagsForResource through @Tags, DeleteTopic.
        case "aws:sns/topic:Topic": {
            const topic = regional("sns", named("name"));
            return [
                creates("sns:CreateTopic", topic),
                creates("sns:TagResource", topic),
                ...["SetTopicAttributes", "GetTopicAttributes", "ListTagsForResource", "DeleteTopic"].map((action) =>
                    uses(`sns:${action}`, topic),
                ),
                ...retags("sns:TagResource", "sns:UntagResource", topic),
            ];
        }
        // topic_subscription.go: Subscribe on the topic; GetSubscriptionAttributes to read and, after Unsubscribe, to
        // wait for the subscription to go; SetSubscriptionAttributes to update. An email endpoint is not waited for.
        case "aws:sns/topicSubscription:TopicSubscription": {
            // The topic by name, whatever shape of ARN the test mocks give it.
            const topic = regional("sns", String(inputs.topic).split(/[:/]/).pop() ?? "");
            const subscription = `${topic}:4b1c0a8e-2f3d-4e5a-9b6c-7d8e9f0a1b2c`;
            return [
                uses("sns:Subscribe", topic, { "sns:Protocol": String(inputs.protocol) }),
                // Authorized on resource type topic, for a request that names the subscription: either ARN.
                ...["GetSubscriptionAttributes", "SetSubscriptionAttributes", "Unsubscribe"].flatMap((action) => [
                    untagged(`sns:${action}`, subscription),
                    untagged(`sns:${action}`, topic),
                ]),
            ];
        }
        default:
            return undefined;
    }
}
