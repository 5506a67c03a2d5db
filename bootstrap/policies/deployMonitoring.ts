import { arn, Statement } from "./document";
import { createsTagged, StackScope, taggedForStack } from "./scope";

/**
 * What the stack's monitoring is named: the dashboard `<project>-<stack>`, every alarm and the topic start with
 * `<project>-<stack>-`, the topic is `<project>-<stack>-alarms`.
 */
export function monitoringName(scope: StackScope): string {
    return `${scope.project}-${scope.stack}`;
}

/**
 * The stack's CloudWatch dashboard, its metric alarms and the SNS topic (with its email subscription) they notify.
 * Dashboards and subscriptions carry no tags here, so they are scoped by the stack's names; alarms and the topic by
 * name and by the stack's tags (docs/platform-facts.md, "Monitoring for the deploy role").
 */
export function monitoringStatements(scope: StackScope): Statement[] {
    const name = monitoringName(scope);
    const alarms = arn(scope, "cloudwatch", `alarm:${name}-*`);
    const topic = arn(scope, "sns", `${name}-alarms`);
    // An alarm may only notify an SNS topic: no EC2, Systems Manager or Lambda action runs from an alarm of the stack.
    const notifiesOnly = { "ForAllValues:StringLike": { "cloudwatch:AlarmActions": [arn(scope, "sns", "*")] } };
    return [
        {
            // The provider looks an alarm up before creating it, so DescribeAlarms cannot wait for the alarm's tags.
            Sid: "MonitoringByName",
            Effect: "Allow",
            Action: [
                "cloudwatch:DeleteDashboards",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:GetDashboard",
                "cloudwatch:PutDashboard",
                "sns:GetSubscriptionAttributes",
                "sns:SetSubscriptionAttributes",
                "sns:Unsubscribe",
            ],
            // Dashboards are global: no region in their ARN. The subscription calls name the subscription, whose ARN
            // is its topic's and an id, and are authorized on resource type topic (Service Authorization Reference).
            Resource: [
                `arn:${scope.partition}:cloudwatch::${scope.account}:dashboard/${name}`,
                alarms,
                topic,
                `${topic}:*`,
            ],
        },
        {
            // PutMetricAlarm both creates and updates, and the provider sends the stack's tags with either.
            Sid: "MonitoringCreateTagged",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "sns:CreateTopic", "sns:TagResource"],
            Resource: [alarms, topic],
            Condition: { ...createsTagged(scope), ...notifiesOnly },
        },
        {
            Sid: "MonitoringOfTheStack",
            Effect: "Allow",
            Action: [
                "cloudwatch:DeleteAlarms",
                "cloudwatch:ListTagsForResource",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
                "sns:DeleteTopic",
                "sns:GetTopicAttributes",
                "sns:ListTagsForResource",
                "sns:SetTopicAttributes",
                "sns:TagResource",
                "sns:UntagResource",
            ],
            Resource: [alarms, topic],
            Condition: { ...taggedForStack(scope), ...notifiesOnly },
        },
        {
            // The topic only mails: no HTTP, Lambda, SQS or SMS endpoint gets the stack's alarms.
            Sid: "AlarmTopicEmailSubscription",
            Effect: "Allow",
            Action: ["sns:Subscribe"],
            Resource: [topic],
            Condition: taggedForStack(scope, { "sns:Protocol": "email" }),
        },
    ];
}
