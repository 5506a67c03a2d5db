// `graviton-multiarch:monitoring`: the dashboard's alarm thresholds and where the alarms notify.
import { z } from "zod";
import { monitoringDefaults, monitoringProblems, monitoringRules } from "../components/monitoring";
import { between, fromRule, regionProblems, setting } from "./values";

const rules = monitoringRules;
const defaults = monitoringDefaults;

export const monitoringSchema = z
    .strictObject({
        p99LatencyMs: setting(rules.p99LatencyMs).default(defaults.p99LatencyMs),
        target5xxPercent: setting(rules.target5xxPercent).default(defaults.target5xxPercent),
        p99RatioThreshold: setting(rules.p99RatioThreshold).default(defaults.p99RatioThreshold),
        alarmEmail: fromRule(rules.alarmEmail).optional(),
        alarmTopicArn: fromRule(rules.alarmTopicArn).optional(),
    })
    .superRefine(between(monitoringProblems));

/**
 * CloudWatch refuses an alarm action on a topic of another region than the alarm's (PutMetricAlarm: "Invalid region
 * ... specified"), and the deploy role allows only topics of the stack's own region and account
 * (docs/platform-facts.md, "Monitoring").
 */
export function alarmTopicRegionProblems(
    prefix: string,
    alarmTopicArn: string | undefined,
    region: string | undefined,
): string[] {
    return regionProblems(
        `${prefix}monitoring.alarmTopicArn`,
        alarmTopicArn,
        region,
        (topicRegion) =>
            `the topic is in ${topicRegion}, but the stack's alarms are in aws:region ${region}; use a topic in ${region} (of the stack's account for the CI deploy role)`,
    );
}
