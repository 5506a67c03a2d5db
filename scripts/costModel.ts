import type { CapturedResource, ProgramRun } from "../tools/harness";
import { EksInventory, eksInventoryOf, eksLines, eksPublicAddresses } from "./costModelEks";
import { hoursPerMonth, RegionPrices } from "./pricing";

/** What the program cannot say: how busy the stack is. Each has a flag in scripts/cost.ts. */
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
};

/** The billable parts of one program run, read from what it registered. */
export interface Inventory {
    readonly stack: string;
    readonly region: string;
    readonly fargate: readonly {
        readonly service: string;
        readonly architecture: "X86_64" | "ARM64";
        readonly tasks: number;
        readonly cpu: number;
        readonly memoryMiB: number;
    }[];
    readonly lambdas: readonly {
        readonly name: string;
        readonly architecture: "arm64" | "x86_64";
        readonly memoryMb: number;
    }[];
    readonly appRunner: readonly { readonly name: string; readonly cpu: number; readonly memoryMb: number }[];
    /** NAT gateways the program's VPC creates; each gets its own Elastic IP. */
    readonly natGateways: number;
    readonly loadBalancers: readonly {
        readonly name: string;
        readonly internetFacing: boolean;
        readonly subnets: number;
    }[];
    readonly logGroups: readonly { readonly name: string; readonly retentionDays: number | undefined }[];
    /** Per repository: single-platform images the lifecycle policy keeps, plus one build cache per platform. */
    readonly registries: readonly { readonly name: string; readonly platformImages: number; readonly caches: number }[];
    readonly eks: EksInventory;
}

type Inputs = Record<string, unknown>;

function numberOf(value: unknown, what: string): number {
    const result = typeof value === "string" ? Number(value) : value;
    if (typeof result !== "number" || !Number.isFinite(result)) {
        throw new Error(`cost report: cannot read ${what} from the program (got ${JSON.stringify(value)})`);
    }
    return result;
}

function natGatewaysOf(vpc: CapturedResource): number {
    const inputs = vpc.inputs as {
        natGateways?: { strategy?: string };
        numberOfAvailabilityZones?: number;
        availabilityZoneNames?: string[];
    };
    // awsx makes one NAT gateway for the VPC (Single) or one per AZ (OnePerAz, its default)
    // (docs/platform-facts.md, "Prices").
    switch (inputs.natGateways?.strategy ?? "OnePerAz") {
        case "None":
            return 0;
        case "Single":
            return 1;
    }
    const zones = inputs.availabilityZoneNames?.length ?? inputs.numberOfAvailabilityZones;
    if (zones === undefined) {
        throw new Error(`cost report: VPC ${vpc.name} names no AZ count, so its NAT gateways cannot be counted`);
    }
    return zones;
}

interface LifecycleRule {
    selection: { tagStatus: string; tagPatternList?: string[]; countType: string; countNumber: number };
}

/** Reads what the program registered into the parts a bill has lines for. */
export function inventoryOf(run: ProgramRun): Inventory {
    const taskDefinitions = new Map(
        run.ofType("aws:ecs/taskDefinition:TaskDefinition").map((definition) => [definition.state.arn, definition]),
    );
    const fargate = run.ofType("aws:ecs/service:Service").map((service) => {
        const definition = taskDefinitions.get(service.inputs.taskDefinition);
        if (definition === undefined) {
            throw new Error(`cost report: ECS service ${service.name} has no task definition in the program`);
        }
        const platform = definition.inputs.runtimePlatform as { cpuArchitecture?: string } | undefined;
        return {
            service: service.name,
            // Unset, Fargate runs X86_64 (docs/platform-facts.md, "Amazon ECS").
            architecture: platform?.cpuArchitecture === "ARM64" ? ("ARM64" as const) : ("X86_64" as const),
            tasks: numberOf(service.inputs.desiredCount ?? 1, `${service.name}.desiredCount`),
            cpu: numberOf(definition.inputs.cpu, `${definition.name}.cpu`),
            memoryMiB: numberOf(definition.inputs.memory, `${definition.name}.memory`),
        };
    });
    const lambdas = run.ofType("aws:lambda/function:Function").map((fn) => ({
        name: fn.name,
        architecture: (fn.inputs.architectures as string[] | undefined)?.includes("arm64")
            ? ("arm64" as const)
            : ("x86_64" as const),
        memoryMb: numberOf(fn.inputs.memorySize ?? 128, `${fn.name}.memorySize`),
    }));
    const appRunner = run.ofType("aws:apprunner/service:Service").map((service) => {
        const instance = (service.inputs.instanceConfiguration ?? {}) as Inputs;
        return {
            name: service.name,
            cpu: numberOf(instance.cpu ?? 1024, `${service.name}.instanceConfiguration.cpu`),
            memoryMb: numberOf(instance.memory ?? 2048, `${service.name}.instanceConfiguration.memory`),
        };
    });
    const loadBalancers = run.ofType("aws:lb/loadBalancer:LoadBalancer").map((lb) => ({
        name: lb.name,
        internetFacing: lb.inputs.internal !== true,
        subnets: (lb.inputs.subnets as unknown[] | undefined)?.length ?? 0,
    }));
    const logGroups = run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => ({
        name: group.name,
        retentionDays:
            group.inputs.retentionInDays === undefined
                ? undefined
                : numberOf(group.inputs.retentionInDays, `${group.name}.retentionInDays`),
    }));
    const platforms = run.ofType("docker-build:index:Image").length;
    const policies = run.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy");
    const registries = run.ofType("aws:ecr/repository:Repository").map((repository) => {
        const policy = policies.find((candidate) => candidate.inputs.repository === repository.state.name);
        const rules =
            policy === undefined ? [] : (JSON.parse(String(policy.inputs.policy)) as { rules: LifecycleRule[] }).rules;
        const releaseRule = rules.find((rule) => rule.selection.countType === "imageCountMoreThan");
        if (releaseRule === undefined) {
            throw new Error(
                `cost report: ECR repository ${repository.name} keeps images without a count limit; its storage cannot be priced`,
            );
        }
        // A release is an index plus one image per platform; the index is a few KB.
        const releases = releaseRule.selection.countNumber / (platforms + 1);
        return { name: repository.name, platformImages: releases * platforms, caches: platforms };
    });
    return {
        stack: run.stack,
        region: run.region,
        fargate,
        lambdas,
        appRunner,
        natGateways: run.ofType("awsx:ec2:Vpc").reduce((sum, vpc) => sum + natGatewaysOf(vpc), 0),
        loadBalancers,
        logGroups,
        registries,
        // The Service's load balancer goes into the network's public subnets, where the ALB is too.
        eks: eksInventoryOf(run, loadBalancers[0]?.subnets ?? 0),
    };
}

export interface CostLine {
    readonly item: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitPrice: number;
    /** Monthly USD, rounded to the cent. */
    readonly monthly: number;
    /** The same line with every Graviton part on x86_64 (equal where the architecture does not matter). */
    readonly x86Twin: { readonly unitPrice: number; readonly monthly: number };
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
}

const cents = (amount: number) => Math.round(amount * 100);

function line(item: string, quantity: number, unit: string, unitPrice: number, twinUnitPrice = unitPrice): CostLine {
    return {
        item,
        quantity,
        unit,
        unitPrice,
        monthly: cents(quantity * unitPrice) / 100,
        x86Twin: { unitPrice: twinUnitPrice, monthly: cents(quantity * twinUnitPrice) / 100 },
    };
}

const daysPerMonth = 365 / 12;

/** Prices an inventory with one region's table: a line per billable part, beside its all-x86 twin. */
export function estimate(
    inventory: Inventory,
    prices: RegionPrices,
    usage: UsageAssumptions = defaultAssumptions,
): StackEstimate {
    const lines: CostLine[] = [];
    for (const fleet of inventory.fargate) {
        const rate = fleet.architecture === "ARM64" ? prices.fargate.arm : prices.fargate.x86;
        const size = `${fleet.tasks} × ${fleet.cpu / 1024} vCPU / ${fleet.memoryMiB / 1024} GB`;
        const taskHours = fleet.tasks * hoursPerMonth;
        lines.push(
            line(
                `Fargate ${fleet.architecture} vCPU (${size})`,
                (taskHours * fleet.cpu) / 1024,
                "vCPU-h",
                rate.perVcpuHour,
                prices.fargate.x86.perVcpuHour,
            ),
            line(
                `Fargate ${fleet.architecture} memory`,
                (taskHours * fleet.memoryMiB) / 1024,
                "GB-h",
                rate.perGbHour,
                prices.fargate.x86.perGbHour,
            ),
        );
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
                `aws:region = "${inventory.region}": the cost report has no App Runner prices for this region (stack ${inventory.stack} turns App Runner on); set graviton-multiarch:appRunner.enabled to false or add App Runner prices with a source to scripts/pricing.ts`,
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
            line(`Application Load Balancer (${lb.subnets} AZs)`, hoursPerMonth, "h", prices.loadBalancer.perHour),
            line("ALB capacity units", usage.albLcuPerHour * hoursPerMonth, "LCU-h", prices.loadBalancer.perLcuHour),
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
    };
}
