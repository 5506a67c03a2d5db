import type { StackConfig } from "../config";
import { hoursPerMonth, prices } from "./pricing";

/** What the configuration cannot say: how busy the services are. */
export interface UsageAssumptions {
    /** Lambda requests per month. */
    readonly lambdaRequestsPerMonth: number;
    /** Average Lambda duration per request, in milliseconds. */
    readonly lambdaAverageMs: number;
    /** Hours a month the App Runner instance is actively serving (vCPU is billed only then). */
    readonly appRunnerActiveHours: number;
}

export const defaultAssumptions: UsageAssumptions = {
    lambdaRequestsPerMonth: 1_000_000,
    lambdaAverageMs: 200,
    appRunnerActiveHours: hoursPerMonth,
};

export interface CostLine {
    readonly item: string;
    /** Monthly cost as configured (x86 and Graviton where the stack runs them). */
    readonly configured: number;
    /** Monthly cost of the same capacity on x86_64 only. */
    readonly x86Only: number;
}

export interface CostEstimate {
    readonly lines: readonly CostLine[];
    readonly configured: number;
    readonly x86Only: number;
    readonly saving: number;
    /** Saving as a share of the x86-only cost, 0-1. */
    readonly savingShare: number;
}

/** Monthly cost of `tasks` always-on Fargate tasks of the given size. */
export function fargateMonthly(
    tasks: number,
    cpuUnits: number,
    memoryMiB: number,
    rate: { perVcpuHour: number; perGbHour: number },
): number {
    const perHour = (cpuUnits / 1024) * rate.perVcpuHour + (memoryMiB / 1024) * rate.perGbHour;
    return tasks * perHour * hoursPerMonth;
}

export function lambdaMonthly(memoryMb: number, usage: UsageAssumptions, perGbSecond: number): number {
    const gbSeconds = usage.lambdaRequestsPerMonth * (usage.lambdaAverageMs / 1000) * (memoryMb / 1024);
    return gbSeconds * perGbSecond + (usage.lambdaRequestsPerMonth / 1_000_000) * prices.lambda.perMillionRequests;
}

export function appRunnerMonthly(cpuUnits: number, memoryMb: number, usage: UsageAssumptions): number {
    return (
        (memoryMb / 1024) * prices.appRunner.perGbHour * hoursPerMonth +
        (cpuUnits / 1024) * prices.appRunner.perVcpuHourActive * usage.appRunnerActiveHours
    );
}

/**
 * The stack's monthly on-demand compute cost as configured, beside the same capacity on
 * x86_64 only. Fargate counts the desired tasks running all month; App Runner runs amd64
 * only, so it costs the same in both columns.
 */
export function estimateMonthlyCost(config: StackConfig, usage: UsageAssumptions = defaultAssumptions): CostEstimate {
    const { cpu, memory, x86DesiredCount, armDesiredCount } = config.service;
    const x86Tasks = fargateMonthly(x86DesiredCount, cpu, memory, prices.fargate.x86);
    const lines: CostLine[] = [
        {
            item: `Fargate X86_64, ${x86DesiredCount} × ${cpu} CPU / ${memory} MiB`,
            configured: x86Tasks,
            x86Only: x86Tasks,
        },
        {
            item: `Fargate ARM64, ${armDesiredCount} × ${cpu} CPU / ${memory} MiB`,
            configured: fargateMonthly(armDesiredCount, cpu, memory, prices.fargate.arm),
            x86Only: fargateMonthly(armDesiredCount, cpu, memory, prices.fargate.x86),
        },
        {
            item: `Lambda arm64, ${config.lambda.memoryMb} MB`,
            configured: lambdaMonthly(config.lambda.memoryMb, usage, prices.lambda.arm.perGbSecond),
            x86Only: lambdaMonthly(config.lambda.memoryMb, usage, prices.lambda.x86.perGbSecond),
        },
    ];
    if (config.appRunner.enabled) {
        const appRunner = appRunnerMonthly(config.appRunner.cpu, config.appRunner.memory, usage);
        lines.push({
            item: `App Runner (amd64 only), ${config.appRunner.cpu} CPU / ${config.appRunner.memory} MB`,
            configured: appRunner,
            x86Only: appRunner,
        });
    }
    const configured = lines.reduce((sum, line) => sum + line.configured, 0);
    const x86Only = lines.reduce((sum, line) => sum + line.x86Only, 0);
    return {
        lines,
        configured,
        x86Only,
        saving: x86Only - configured,
        savingShare: x86Only === 0 ? 0 : (x86Only - configured) / x86Only,
    };
}
