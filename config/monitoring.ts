// `graviton-multiarch:monitoring`: the dashboard's alarm thresholds and where the alarms notify.
import { z } from "zod";
import { monitoringDefaults, monitoringProblems, monitoringRules } from "../components/monitoring";
import { between, fromRule, setting } from "./values";

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
