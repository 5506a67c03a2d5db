/**
 * Monthly on-demand compute cost of a stack as configured, beside the same capacity on
 * x86_64 only, and the saving Graviton brings.
 *
 *   ts-node scripts/cost.ts [--stack <name>]... [--lambda-requests N] [--lambda-ms N] [--apprunner-active-hours N]
 */
import { parseStackConfig } from "../config";
import { listStacks, stackConfig } from "../tools/harness";
import { parseFlags, runAsProcess, selectStacks, UsageError, withUsageErrors } from "./cli";
import { CostEstimate, defaultAssumptions, estimateMonthlyCost, UsageAssumptions } from "./costModel";
import { hoursPerMonth, prices, pricesRecordedOn, pricingRegion } from "./pricing";

export interface CostOptions {
    readonly stacks: readonly string[];
    readonly usage: UsageAssumptions;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
    if (text === undefined) {
        return fallback;
    }
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > max) {
        throw new UsageError(`${flag} must be a whole number from 0 to ${max}; got "${text}"`);
    }
    return value;
}

export function parseCostArgs(argv: readonly string[], knownStacks: readonly string[] = listStacks()): CostOptions {
    const values = parseFlags(argv, {
        stack: { type: "string", multiple: true },
        "lambda-requests": { type: "string" },
        "lambda-ms": { type: "string" },
        "apprunner-active-hours": { type: "string" },
    });
    return {
        stacks: selectStacks(values.stack, knownStacks),
        usage: {
            lambdaRequestsPerMonth: wholeNumber(
                "--lambda-requests",
                values["lambda-requests"],
                defaultAssumptions.lambdaRequestsPerMonth,
            ),
            lambdaAverageMs: wholeNumber(
                "--lambda-ms",
                values["lambda-ms"],
                defaultAssumptions.lambdaAverageMs,
                900_000,
            ),
            appRunnerActiveHours: wholeNumber(
                "--apprunner-active-hours",
                values["apprunner-active-hours"],
                defaultAssumptions.appRunnerActiveHours,
                hoursPerMonth,
            ),
        },
    };
}

const usd = (amount: number) => `$${amount.toFixed(2)}`;

export function formatEstimate(stack: string, estimate: CostEstimate): string {
    const width = Math.max(...estimate.lines.map((line) => line.item.length), "total".length);
    const row = (item: string, configured: string, x86Only: string) =>
        `  ${item.padEnd(width)}  ${configured.padStart(11)}  ${x86Only.padStart(11)}`;
    return [
        `== stack ${stack}: monthly on-demand compute, ${pricingRegion}`,
        row("", "configured", "x86_64 only"),
        ...estimate.lines.map((line) => row(line.item, usd(line.configured), usd(line.x86Only))),
        row("total", usd(estimate.configured), usd(estimate.x86Only)),
        `  saving with Graviton: ${usd(estimate.saving)} a month (${(estimate.savingShare * 100).toFixed(1)}%)`,
    ].join("\n");
}

export function formatAssumptions(usage: UsageAssumptions): string {
    return [
        "assumptions:",
        `  - ${hoursPerMonth} hours a month; Fargate runs each service's desired count all month (autoscaling above it costs more)`,
        `  - Lambda: ${usage.lambdaRequestsPerMonth.toLocaleString("en-US")} requests a month at ${usage.lambdaAverageMs} ms average, no free tier`,
        `  - App Runner: one instance, active ${usage.appRunnerActiveHours} of ${hoursPerMonth} hours; it runs amd64 only, so both columns are equal`,
        "  - compute only: load balancer, NAT gateways, logs, ECR storage and data transfer are not included",
        `  - prices as recorded on ${pricesRecordedOn}: ${prices.fargate.source}; ${prices.lambda.source}; ${prices.appRunner.source}`,
    ].join("\n");
}

export function main(
    argv: readonly string[],
    write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
    return withUsageErrors(write, () => {
        const options = parseCostArgs(argv);
        for (const stack of options.stacks) {
            const config = parseStackConfig(stackConfig(stack), stack);
            write(`${formatEstimate(stack, estimateMonthlyCost(config, options.usage))}\n\n`);
        }
        write(`${formatAssumptions(options.usage)}\n`);
        return 0;
    });
}

if (require.main === module) {
    runAsProcess(main);
}
