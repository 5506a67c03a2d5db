import { eksLines, eksPublicAddresses } from "./costModelEks";
import type { Inventory } from "./costInventory";
import { assumedFargateSpotDiscount, hoursPerMonth, RegionPrices } from "../../prices/prices";

export { alarmMetricsOf, inventoryOf, spotTasksOf } from "./costInventory";
export type { Inventory } from "./costInventory";

/** What the program cannot say: how busy the stack is. Each has a flag in commands/cost/cost.ts. */
export interface UsageAssumptions {
    /** Lambda requests per month. */
    readonly lambdaRequestsPerMonth: number;
    /** Average Lambda duration per request, in milliseconds. */
    readonly lambdaAverageMs: number;
    /** Hours a month the App Runner instance is actively serving (vCPU is billed only then). */
    readonly appRunnerActiveHours: number;
    /** GB a month through the NAT gateways, all of them together (image pulls, logs, outbound calls). */
    readonly natGbPerMonth: number;
    /** Average load balancer capacity units (LCU) used per hour. */
    readonly albLcuPerHour: number;
    /** GB of logs ingested per log group per month. */
    readonly logGbPerGroup: number;
    /** Compressed size of one single-platform image in MB. */
    readonly imageMb: number;
    /** GB a month through each Classic Load Balancer (EKS's LoadBalancer Service). */
    readonly clbGbPerMonth: number;
    /** Fargate Spot's price as a share off the on-demand rate, 0-1 (Spot prices move; see prices/prices.ts). */
    readonly fargateSpotDiscount: number;
}

export const defaultAssumptions: UsageAssumptions = {
    lambdaRequestsPerMonth: 1_000_000,
    lambdaAverageMs: 200,
    appRunnerActiveHours: hoursPerMonth,
    natGbPerMonth: 10,
    albLcuPerHour: 1,
    logGbPerGroup: 1,
    imageMb: 150,
    clbGbPerMonth: 10,
    fargateSpotDiscount: assumedFargateSpotDiscount,
};

export interface CostLine {
    readonly item: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitPrice: number;
    /** Monthly USD, rounded to the cent. */
    readonly monthly: number;
    /** The same line with every Graviton part on x86_64 (equal where the architecture does not matter). */
    readonly x86Twin: { readonly unitPrice: number; readonly monthly: number };
    /** Set on the compute that runs on Graviton, whose price the architecture decides: which runtime it is. */
    readonly graviton?: GravitonCompute;
}

/** The runtimes whose compute moved to Graviton, each priced against the same compute on x86. */
export type GravitonCompute = "Fargate ARM64" | "Lambda arm64" | "EKS Graviton nodes";

/** The compute of one runtime that moved to Graviton, beside its x86 twin. */
export interface GravitonSaving {
    readonly runtime: GravitonCompute;
    readonly monthly: number;
    readonly x86Twin: number;
    readonly saving: number;
    /** Saving as a share of the twin, 0-1. */
    readonly savingShare: number;
}

export interface StackEstimate {
    readonly stack: string;
    readonly region: string;
    readonly location: string;
    readonly lines: readonly CostLine[];
    /** Sum of the lines' monthly figures. */
    readonly total: number;
    readonly x86TwinTotal: number;
    readonly saving: number;
    /** Saving as a share of the x86 twin's total, 0-1. */
    readonly savingShare: number;
    /** The total over an average day (a month is 365/12 days). */
    readonly perDay: number;
    /** The saving on the compute that moved alone, per runtime, without the parts that cost the same on x86. */
    readonly gravitonCompute: readonly GravitonSaving[];
}

const cents = (amount: number) => Math.round(amount * 100);

function line(
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
    twinUnitPrice = unitPrice,
    graviton?: GravitonCompute,
): CostLine {
    return {
        item,
        quantity,
        unit,
        unitPrice,
        monthly: cents(quantity * unitPrice) / 100,
        x86Twin: { unitPrice: twinUnitPrice, monthly: cents(quantity * twinUnitPrice) / 100 },
        ...(graviton === undefined ? {} : { graviton }),
    };
}

export const daysPerMonth = 365 / 12;

/** Sums the Graviton lines per runtime, in the order the lines came. */
function gravitonComputeOf(lines: readonly CostLine[]): GravitonSaving[] {
    const runtimes = [...new Set(lines.flatMap((entry) => (entry.graviton === undefined ? [] : [entry.graviton])))];
    return runtimes.map((runtime) => {
        const own = lines.filter((entry) => entry.graviton === runtime);
        const monthly = own.reduce((sum, entry) => sum + cents(entry.monthly), 0) / 100;
        const x86Twin = own.reduce((sum, entry) => sum + cents(entry.x86Twin.monthly), 0) / 100;
        const saving = (cents(x86Twin) - cents(monthly)) / 100;
        // The share from the unrounded figures: a few cents rounded would move it by tenths of a percent.
        const unrounded = (price: (entry: CostLine) => number) =>
            own.reduce((sum, entry) => sum + entry.quantity * price(entry), 0);
        const twinExact = unrounded((entry) => entry.x86Twin.unitPrice);
        const savingShare = twinExact === 0 ? 0 : 1 - unrounded((entry) => entry.unitPrice) / twinExact;
        return { runtime, monthly, x86Twin, saving, savingShare };
    });
}

/** Prices an inventory with one region's table: a line per billable part, beside its all-x86 twin. */
export function estimate(
    inventory: Inventory,
    prices: RegionPrices,
    usage: UsageAssumptions = defaultAssumptions,
): StackEstimate {
    const lines: CostLine[] = [];
    for (const fleet of inventory.fargate) {
        const rate = fleet.architecture === "ARM64" ? prices.fargate.arm : prices.fargate.x86;
        const twin = prices.fargate.x86;
        // The twin of a Spot task is an x86 Spot task: the same discount off the x86 rate.
        const spotRate = (price: number) => Math.round(price * (1 - usage.fargateSpotDiscount) * 1e8) / 1e8;
        const parts = [
            { label: "", tasks: fleet.tasks - fleet.spotTasks, price: (value: number) => value },
            {
                label: ` Spot (${Math.round(usage.fargateSpotDiscount * 100)}% off)`,
                tasks: fleet.spotTasks,
                price: spotRate,
            },
        ].filter((part) => part.tasks > 0);
        // The ARM tasks on Spot and on demand sum into one Fargate figure.
        const graviton = fleet.architecture === "ARM64" ? ("Fargate ARM64" as const) : undefined;
        for (const part of parts) {
            const size = `${part.tasks} × ${fleet.cpu / 1024} vCPU / ${fleet.memoryMiB / 1024} GB`;
            const taskHours = part.tasks * hoursPerMonth;
            lines.push(
                line(
                    `${fleet.runtime} ${fleet.architecture}${part.label} vCPU (${size})`,
                    (taskHours * fleet.cpu) / 1024,
                    "vCPU-h",
                    part.price(rate.perVcpuHour),
                    part.price(twin.perVcpuHour),
                    graviton,
                ),
                line(
                    `${fleet.runtime} ${fleet.architecture}${part.label} memory`,
                    (taskHours * fleet.memoryMiB) / 1024,
                    "GB-h",
                    part.price(rate.perGbHour),
                    part.price(twin.perGbHour),
                    graviton,
                ),
            );
        }
    }
    for (const fn of inventory.lambdas) {
        const gbSeconds = usage.lambdaRequestsPerMonth * (usage.lambdaAverageMs / 1000) * (fn.memoryMb / 1024);
        const rate = fn.architecture === "arm64" ? prices.lambda.armPerGbSecond : prices.lambda.x86PerGbSecond;
        lines.push(
            line(
                `Lambda ${fn.architecture} compute (${fn.memoryMb} MB)`,
                gbSeconds,
                "GB-s",
                rate,
                prices.lambda.x86PerGbSecond,
                fn.architecture === "arm64" ? "Lambda arm64" : undefined,
            ),
            line(
                "Lambda requests",
                usage.lambdaRequestsPerMonth / 1_000_000,
                "M requests",
                prices.lambda.perMillionRequests,
            ),
        );
    }
    for (const service of inventory.appRunner) {
        if (prices.appRunner === undefined) {
            throw new Error(
                `aws:region = "${inventory.region}": the cost report has no App Runner prices for this region (stack ${inventory.stack} turns App Runner on); set graviton-multiarch:appRunner.enabled to false or add App Runner prices with a source to prices/prices.ts`,
            );
        }
        // App Runner runs amd64 only, so its twin is itself.
        lines.push(
            line(
                `App Runner memory (${service.memoryMb / 1024} GB, all month)`,
                (service.memoryMb / 1024) * hoursPerMonth,
                "GB-h",
                prices.appRunner.perGbHour,
            ),
            line(
                `App Runner vCPU (${service.cpu / 1024} vCPU, active hours)`,
                (service.cpu / 1024) * usage.appRunnerActiveHours,
                "vCPU-h",
                prices.appRunner.perVcpuHourActive,
            ),
        );
    }
    if (inventory.natGateways > 0) {
        lines.push(
            line(
                `NAT gateways (${inventory.natGateways})`,
                inventory.natGateways * hoursPerMonth,
                "h",
                prices.natGateway.perHour,
            ),
            line("NAT data processed", usage.natGbPerMonth, "GB", prices.natGateway.perGbProcessed),
        );
    }
    for (const lb of inventory.loadBalancers) {
        lines.push(
            line(
                `${lb.runtime === "Express Mode" ? "Express Mode's " : ""}Application Load Balancer (${lb.subnets} AZs)`,
                hoursPerMonth,
                "h",
                prices.loadBalancer.perHour,
            ),
            line(
                `${lb.runtime === "Express Mode" ? "Express Mode's " : ""}ALB capacity units`,
                usage.albLcuPerHour * hoursPerMonth,
                "LCU-h",
                prices.loadBalancer.perLcuHour,
            ),
        );
    }
    lines.push(...eksLines(inventory.eks, prices, inventory.stack, usage.clbGbPerMonth).map((args) => line(...args)));
    // Every public IPv4 address is billed: each NAT gateway's Elastic IP and each load balancer's address per subnet.
    const publicAddresses =
        inventory.natGateways +
        inventory.loadBalancers.reduce((sum, lb) => sum + (lb.internetFacing ? lb.subnets : 0), 0) +
        eksPublicAddresses(inventory.eks);
    if (publicAddresses > 0) {
        lines.push(
            line(
                `Public IPv4 addresses (${publicAddresses})`,
                publicAddresses * hoursPerMonth,
                "IP-h",
                prices.publicIpv4.perHour,
            ),
        );
    }
    if (inventory.logGroups.length > 0) {
        const storedGb = inventory.logGroups.reduce(
            // A group without retention keeps everything; priced as one year's worth.
            (sum, group) => sum + usage.logGbPerGroup * ((group.retentionDays ?? 365) / daysPerMonth),
            0,
        );
        const retention = inventory.logGroups.map((group) => `${group.retentionDays ?? "∞"} d`).join(", ");
        lines.push(
            line(
                `CloudWatch Logs ingestion (${inventory.logGroups.length} groups)`,
                inventory.logGroups.length * usage.logGbPerGroup,
                "GB",
                prices.logs.perGbIngested,
            ),
            line(`CloudWatch Logs storage (retention ${retention})`, storedGb, "GB-mo", prices.logs.perGbMonthStored),
        );
    }
    // Priced as if the account's free tier (3 dashboards, 10 alarm metrics) were used up: it is the account's, not
    // the stack's, and dev and prod may share one account (docs/platform-facts.md, "Prices").
    if (inventory.dashboards.length > 0) {
        lines.push(
            line(
                `CloudWatch dashboards (${inventory.dashboards.length})`,
                inventory.dashboards.length,
                "dashboard-mo",
                prices.cloudWatch.perDashboardMonth,
            ),
        );
    }
    for (const highResolution of [false, true]) {
        const alarms = inventory.alarms.filter((alarm) => alarm.highResolution === highResolution);
        if (alarms.length > 0) {
            lines.push(
                line(
                    `CloudWatch alarms${highResolution ? ", high resolution" : ""} (${alarms.length}, metrics each read)`,
                    alarms.reduce((sum, alarm) => sum + alarm.metrics, 0),
                    "alarm metric-mo",
                    highResolution
                        ? prices.cloudWatch.perHighResolutionAlarmMetricMonth
                        : prices.cloudWatch.perAlarmMetricMonth,
                ),
            );
        }
    }
    for (const registry of inventory.registries) {
        const images = registry.platformImages + registry.caches;
        lines.push(
            line(
                `ECR storage (${images} images kept)`,
                (images * usage.imageMb) / 1024,
                "GB-mo",
                prices.ecr.perGbMonth,
            ),
        );
    }

    const total = lines.reduce((sum, entry) => sum + cents(entry.monthly), 0) / 100;
    const x86TwinTotal = lines.reduce((sum, entry) => sum + cents(entry.x86Twin.monthly), 0) / 100;
    const saving = (cents(x86TwinTotal) - cents(total)) / 100;
    return {
        stack: inventory.stack,
        region: inventory.region,
        location: prices.location,
        lines,
        total,
        x86TwinTotal,
        saving,
        savingShare: x86TwinTotal === 0 ? 0 : saving / x86TwinTotal,
        perDay: cents(total / daysPerMonth) / 100,
        gravitonCompute: gravitonComputeOf(lines),
    };
}
