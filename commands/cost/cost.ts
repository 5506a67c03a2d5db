/**
 * Monthly on-demand cost of each stack as the program creates it, priced from the stack's own
 * region, beside the same capacity with every Graviton part on x86_64, and the saving.
 *
 *   npm run -s cost -- [--stack <name>]... [--json] [--config <namespace>:<key>=<value>]... [usage flags]
 *   (`npm run cost -- --help` lists them; `-s` keeps npm's own lines off stdout)
 */
import { format } from "util";
import { ConfigOverrides, listStacks, runProgram, stackConfig } from "../../harness";
import {
    configFlag,
    defineCommand,
    EXIT_OK,
    parseConfigOverrides,
    runAsProcess,
    selectStacks,
    stackFlag,
    UsageError,
} from "../cli";
import { daysPerMonth, defaultAssumptions, estimate, inventoryOf, StackEstimate, UsageAssumptions } from "./costModel";
import {
    fargateSpotDiscountSource,
    hoursPerMonth,
    PricedService,
    priceSources,
    pricesFor,
    pricesRecordedOn,
    SourceId,
} from "../../prices/prices";

export interface CostOptions {
    readonly json: boolean;
    readonly stacks: readonly string[];
    readonly config: ConfigOverrides;
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

function amount(flag: string, text: string | undefined, fallback: number): number {
    if (text === undefined) {
        return fallback;
    }
    if (!/^\d+(\.\d+)?$/.test(text)) {
        throw new UsageError(`${flag} must be a number of at least 0, like 10 or 0.5; got "${text}"`);
    }
    return Number(text);
}

export const costCommand = defineCommand({
    name: "cost",
    summary: [
        "Prices every billable part the program creates for a stack (Fargate, Lambda, App Runner, NAT gateways,",
        "the load balancer, public IPv4 addresses, CloudWatch Logs, dashboards and alarms, ECR storage, and with EKS",
        "on the cluster, its nodes and the Service's Classic Load Balancer) from the stack's own aws:region, beside",
        "the same capacity on x86_64 only, and the saving on the compute that moved to Graviton alone. The",
        "usage-based parts take the assumptions these flags set.",
    ].join("\n"),
    flags: {
        stack: stackFlag("price"),
        json: { type: "boolean", description: "print one JSON object instead of the tables" },
        config: configFlag,
        "lambda-requests": {
            type: "string",
            value: "<n>",
            description: `Lambda requests a month (default ${defaultAssumptions.lambdaRequestsPerMonth})`,
        },
        "lambda-ms": {
            type: "string",
            value: "<n>",
            description: `average Lambda duration in ms (default ${defaultAssumptions.lambdaAverageMs})`,
        },
        "apprunner-active-hours": {
            type: "string",
            value: "<n>",
            description: `hours a month App Runner serves requests, 0-${hoursPerMonth} (default ${defaultAssumptions.appRunnerActiveHours})`,
        },
        "nat-gb": {
            type: "string",
            value: "<n>",
            description: `GB a month through the NAT gateways, all together (default ${defaultAssumptions.natGbPerMonth})`,
        },
        "alb-lcu": {
            type: "string",
            value: "<n>",
            description: `average load balancer capacity units an hour (default ${defaultAssumptions.albLcuPerHour})`,
        },
        "log-gb": {
            type: "string",
            value: "<n>",
            description: `GB of logs ingested per log group a month (default ${defaultAssumptions.logGbPerGroup})`,
        },
        "clb-gb": {
            type: "string",
            value: "<n>",
            description: `GB a month through the EKS Service's Classic Load Balancer (default ${defaultAssumptions.clbGbPerMonth})`,
        },
        "image-mb": {
            type: "string",
            value: "<n>",
            description: `compressed size of one single-platform image in MB (default ${defaultAssumptions.imageMb})`,
        },
        "spot-discount": {
            type: "string",
            value: "<percent>",
            description: `Fargate Spot's discount off on-demand, 0-100 (default ${defaultAssumptions.fargateSpotDiscount * 100}; Spot prices vary)`,
        },
    },
    failure: "a stack could not be priced (e.g. no prices for its region)",
});

export function parseCostArgs(argv: readonly string[], knownStacks: readonly string[] = listStacks()): CostOptions {
    const values = costCommand.parse(argv);
    const defaults = defaultAssumptions;
    return {
        json: values.json === true,
        stacks: selectStacks(values.stack, knownStacks),
        config: parseConfigOverrides(values.config),
        usage: {
            lambdaRequestsPerMonth: wholeNumber(
                "--lambda-requests",
                values["lambda-requests"],
                defaults.lambdaRequestsPerMonth,
            ),
            lambdaAverageMs: wholeNumber("--lambda-ms", values["lambda-ms"], defaults.lambdaAverageMs, 900_000),
            appRunnerActiveHours: wholeNumber(
                "--apprunner-active-hours",
                values["apprunner-active-hours"],
                defaults.appRunnerActiveHours,
                hoursPerMonth,
            ),
            natGbPerMonth: amount("--nat-gb", values["nat-gb"], defaults.natGbPerMonth),
            albLcuPerHour: amount("--alb-lcu", values["alb-lcu"], defaults.albLcuPerHour),
            logGbPerGroup: amount("--log-gb", values["log-gb"], defaults.logGbPerGroup),
            imageMb: amount("--image-mb", values["image-mb"], defaults.imageMb),
            clbGbPerMonth: amount("--clb-gb", values["clb-gb"], defaults.clbGbPerMonth),
            fargateSpotDiscount:
                wholeNumber(
                    "--spot-discount",
                    values["spot-discount"],
                    Math.round(defaults.fargateSpotDiscount * 100),
                    100,
                ) / 100,
        },
    };
}

/**
 * Prices one stack: its config is checked and its region looked up before the program runs under
 * the mock runtime, whose registered resources are then priced.
 */
export async function estimateStack(
    stack: string,
    assumptions: UsageAssumptions = defaultAssumptions,
    config?: ConfigOverrides,
): Promise<StackEstimate> {
    // Loaded here, not at the top: the program's modules pull in @pulumi/aws, which --help does not need.
    const { parseStackConfig } = await import("../../config");
    const prices = pricesFor(parseStackConfig(stackConfig(stack, config), stack).region);
    const run = await runProgram(stack, { config });
    return estimate(inventoryOf(run), prices, assumptions);
}

const usd = (value: number) =>
    `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function sourcesOf(region: string): Record<PricedService, string[]> {
    const prices = pricesFor(region);
    const named = (ids: readonly SourceId[]) => ids.map((id) => priceSources[id]);
    return Object.fromEntries(Object.entries(prices.sources).map(([service, ids]) => [service, named(ids)])) as Record<
        PricedService,
        string[]
    >;
}

export function formatEstimate(result: StackEstimate): string {
    const rows = [
        ["item", "quantity", "unit price", "monthly", "x86 twin"],
        ...result.lines.map((entry) => [
            entry.item,
            `${count(entry.quantity)} ${entry.unit}`,
            `$${entry.unitPrice}/${entry.unit}`,
            usd(entry.monthly),
            usd(entry.x86Twin.monthly),
        ]),
        ["total", "", "", usd(result.total), usd(result.x86TwinTotal)],
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const render = (row: string[]) =>
        `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ")}`;
    const sourceIds = [...new Set(Object.values(pricesFor(result.region).sources).flat())];
    return [
        `== stack ${result.stack}: monthly on-demand cost in ${result.region} (${result.location})`,
        ...rows.map(render),
        `  saving with Graviton: ${usd(result.saving)} a month (${percent(result.savingShare)}) against the all-x86 twin`,
        ...(result.gravitonCompute.length === 0
            ? []
            : [
                  "  on the compute that moved to Graviton alone, against the same compute on x86:",
                  ...result.gravitonCompute.map(
                      (compute) =>
                          `    ${compute.runtime}: ${usd(compute.monthly)} a month against ${usd(compute.x86Twin)}, saving ${usd(compute.saving)} (${percent(compute.savingShare)})`,
                  ),
              ]),
        `  a day: ${usd(result.perDay)} (a month of ${daysPerMonth.toFixed(2)} days on average)`,
        `  ${result.region} prices recorded on ${pricesRecordedOn}, sources: ${sourceIds.join(", ")}`,
    ].join("\n");
}

export function formatAssumptions(assumptions: UsageAssumptions, regions: readonly string[]): string {
    const sourceIds = [...new Set(regions.flatMap((region) => Object.values(pricesFor(region).sources).flat()))];
    return [
        "assumptions (change them with the flags in --help):",
        `  - ${hoursPerMonth} hours a month, ${daysPerMonth.toFixed(2)} days; on-demand list prices (Fargate Spot as below), no free tier, no Savings Plans, no data transfer out`,
        "  - Fargate runs each service's desired count all month (autoscaling above it costs more); Express Mode its minimum task count",
        `  - Fargate Spot: ${Math.round(assumptions.fargateSpotDiscount * 100)}% off each architecture's on-demand rate (--spot-discount), its x86 twin Spot too; AWS sets Spot prices from supply and demand, so this is an assumption (${fargateSpotDiscountSource})`,
        `  - Lambda: ${assumptions.lambdaRequestsPerMonth.toLocaleString("en-US")} requests a month at ${assumptions.lambdaAverageMs} ms average (--lambda-requests, --lambda-ms)`,
        `  - App Runner: one instance, memory all month, vCPU for ${assumptions.appRunnerActiveHours} active hours (--apprunner-active-hours); amd64 only, so its twin is itself`,
        `  - NAT gateways: ${assumptions.natGbPerMonth} GB a month processed in all (--nat-gb); ALB: ${assumptions.albLcuPerHour} LCU an hour on average (--alb-lcu)`,
        "  - public IPv4: one Elastic IP per NAT gateway and one ALB address per subnet, the fewest an internet-facing ALB holds",
        `  - logs: ${assumptions.logGbPerGroup} GB ingested per log group a month (--log-gb), stored for the group's retention`,
        "  - CloudWatch dashboards and alarms: the account's free tier (3 dashboards, 10 alarm metrics a month) taken as used up, since it is shared by every stack in the account; each alarm billed per metric it reads, metric math expressions free",
        "  - the alarms' SNS topic and email subscription (when on): no line; $0.0000005 a publish and $0.00002 an email, cents for thousands of alarms",
        `  - ECR: every kept release image and build cache counted in full at ${assumptions.imageMb} MB (--image-mb), nothing taken off for layers they share`,
        "  - EKS (when on): the cluster in standard support ($0.60 an hour in extended support), each node group's desired size all month on its first instance type, the nodes' root volumes not counted",
        `  - EKS's LoadBalancer Service: one Classic Load Balancer with ${assumptions.clbGbPerMonth} GB a month processed (--clb-gb) and one public IPv4 address per public subnet`,
        "sources:",
        ...sourceIds.map((id) => `  ${id}: ${priceSources[id]}`),
    ].join("\n");
}

export function costReport(results: readonly StackEstimate[], assumptions: UsageAssumptions) {
    return {
        pricesRecordedOn,
        hoursPerMonth,
        daysPerMonth,
        assumptions,
        stacks: results.map((result) => ({ ...result, sources: sourcesOf(result.region) })),
    };
}

async function withConsoleTo<T>(write: (text: string) => void, body: () => Promise<T>): Promise<T> {
    const saved = { log: console.log, info: console.info, debug: console.debug };
    const toWrite = (...args: unknown[]) => write(`${format(...args)}\n`);
    Object.assign(console, { log: toWrite, info: toWrite, debug: toWrite });
    try {
        return await body();
    } finally {
        Object.assign(console, saved);
    }
}

export const main = costCommand.main(async (argv, write, writeError) => {
    const options = parseCostArgs(argv);
    const priceAll = async () => {
        const priced: StackEstimate[] = [];
        for (const stack of options.stacks) {
            priced.push(await estimateStack(stack, options.usage, options.config));
        }
        return priced;
    };
    // With --json stdout is the report alone; without an engine pulumi.log.info prints with console.log (docs/platform-facts.md, "npm install scripts and script output").
    const results = options.json ? await withConsoleTo(writeError, priceAll) : await priceAll();
    if (options.json) {
        write(`${JSON.stringify(costReport(results, options.usage), null, 2)}\n`);
        return EXIT_OK;
    }
    for (const result of results) {
        write(`${formatEstimate(result)}\n\n`);
    }
    write(
        `${formatAssumptions(
            options.usage,
            results.map((result) => result.region),
        )}\n`,
    );
    return EXIT_OK;
});

if (require.main === module) {
    runAsProcess(main);
}
