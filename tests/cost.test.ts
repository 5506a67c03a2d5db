import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { spawn } from "child_process";
import { estimateStack, main, parseCostArgs } from "../commands/cost/cost";
import {
    CostLine,
    defaultAssumptions,
    estimate,
    inventoryOf,
    spotTasksOf,
    StackEstimate,
} from "../commands/cost/costModel";
import { pricedRegions, pricesFor } from "../prices/prices";
import { CapturedResource, everyRuntime, ProgramRun, projectRoot, stackRun } from "./harness";

// Figures below are worked out by hand from prices/prices.ts (730 hours a month).
const cents = (amount: number) => Math.round(amount * 100);
const lineOf = (result: StackEstimate, start: string): CostLine => {
    const found = result.lines.find((entry) => entry.item.startsWith(start));
    assert.ok(found, `no line starting "${start}" in ${result.lines.map((entry) => entry.item).join(" | ")}`);
    return found;
};

async function run(argv: string[]) {
    let out = "";
    let err = "";
    const code = await main(
        argv,
        (text) => (out += text),
        (text) => (err += text),
    );
    return { code, out, err };
}

describe("npm run cost: what it prices", () => {
    let dev: StackEstimate;
    let prod: StackEstimate;
    let prodIreland: StackEstimate;

    before(async () => {
        dev = await estimateStack("dev");
        // App Runner and Express Mode are off in the stack files (App Runner is closed to new accounts); prod is
        // priced with both on.
        prod = await estimateStack("prod", defaultAssumptions, everyRuntime);
        prodIreland = await estimateStack("prod", defaultAssumptions, { "aws:region": "eu-west-1" });
    });

    it("prices an eu-west-1 stack from eu-west-1 prices and says so", async () => {
        assert.strictEqual(prodIreland.region, "eu-west-1");
        assert.strictEqual(prodIreland.location, "Europe (Ireland)");
        // Ireland's NAT gateway is $0.048 an hour, not Virginia's $0.045: 2 × 730 × 0.048 = 70.08.
        assert.deepStrictEqual(
            {
                unitPrice: lineOf(prodIreland, "NAT gateways").unitPrice,
                monthly: lineOf(prodIreland, "NAT gateways").monthly,
            },
            { unitPrice: 0.048, monthly: 70.08 },
        );
        // ALB $0.0252 an hour: 730 × 0.0252 = 18.396; log ingestion $0.57 a GB: 2 groups × 1 GB.
        assert.strictEqual(lineOf(prodIreland, "Application Load Balancer").monthly, 18.4);
        assert.strictEqual(lineOf(prodIreland, "CloudWatch Logs ingestion").monthly, 1.14);
        const { out } = await run(["--stack", "dev"]);
        assert.match(out, /== stack dev: monthly on-demand cost in us-east-1 \(US East \(N\. Virginia\)\)/);
    });

    it("prices the stacks of the project as their stack files say (us-east-1)", () => {
        assert.strictEqual(prod.region, "us-east-1");
        assert.strictEqual(lineOf(prod, "NAT gateways").unitPrice, 0.045);
    });

    it("counts one NAT gateway in dev and two in prod, with its Elastic IP", () => {
        // Single: 730 h × $0.045 = 32.85; OnePerAz over 2 AZs: 1,460 h = 65.70.
        assert.deepStrictEqual(
            [
                lineOf(dev, "NAT gateways").item,
                lineOf(dev, "NAT gateways").quantity,
                lineOf(dev, "NAT gateways").monthly,
            ],
            ["NAT gateways (1)", 730, 32.85],
        );
        assert.deepStrictEqual(
            [
                lineOf(prod, "NAT gateways").item,
                lineOf(prod, "NAT gateways").quantity,
                lineOf(prod, "NAT gateways").monthly,
            ],
            ["NAT gateways (2)", 1460, 65.7],
        );
        // 10 GB processed by default × $0.045.
        assert.strictEqual(lineOf(prod, "NAT data processed").monthly, 0.45);
        // One address per NAT gateway plus two per ALB: dev 3 × 730 × 0.005 = 10.95; prod, with Express Mode's
        // load balancer besides the program's, 2 + 2 + 2 = 6 × 730 × 0.005 = 21.90.
        assert.strictEqual(lineOf(dev, "Public IPv4 addresses (3)").monthly, 10.95);
        assert.strictEqual(lineOf(prod, "Public IPv4 addresses (6)").monthly, 21.9);
    });

    it("has no NAT line for a stack that reuses an existing VPC", async () => {
        const reused = await estimateStack("dev", defaultAssumptions, {
            "graviton-multiarch:network.vpcId": "vpc-0123abcd",
            "graviton-multiarch:network.publicSubnetIds": ["subnet-0aaa0001", "subnet-0aaa0002"],
            "graviton-multiarch:network.privateSubnetIds": ["subnet-0bbb0001", "subnet-0bbb0002"],
        });
        assert.ok(!reused.lines.some((entry) => entry.item.startsWith("NAT")));
        assert.strictEqual(lineOf(reused, "Public IPv4 addresses (2)").monthly, 7.3);
    });

    it("prices the load balancer's hours and capacity units", async () => {
        // 730 × $0.0225 = 16.425; 1 LCU × 730 × $0.008 = 5.84.
        assert.strictEqual(lineOf(prod, "Application Load Balancer").monthly, 16.43);
        assert.strictEqual(lineOf(prod, "ALB capacity units").monthly, 5.84);
        const busier = await estimateStack("prod", { ...defaultAssumptions, albLcuPerHour: 2.5 });
        // 2.5 × 730 × 0.008 = 14.60
        assert.strictEqual(lineOf(busier, "ALB capacity units").monthly, 14.6);
    });

    it("covers compute, logs, ECR storage, Lambda requests and App Runner", () => {
        // prod ARM64: 2 tasks × 1 vCPU × 730 h = 1,460 vCPU-h × $0.03238 = 47.27.
        assert.deepStrictEqual(
            [lineOf(prod, "Fargate ARM64 vCPU").quantity, lineOf(prod, "Fargate ARM64 vCPU").monthly],
            [1460, 47.27],
        );
        // 1 M requests × $0.20; 200,000 GB-s (1 GB, 200 ms) × $0.0000133334 = 2.67.
        assert.strictEqual(lineOf(prod, "Lambda requests").monthly, 0.2);
        assert.strictEqual(lineOf(prod, "Lambda arm64 compute").monthly, 2.67);
        // App Runner 2 GB × 730 × $0.007 = 10.22 all month; 1 vCPU × 730 active h × $0.064 = 46.72.
        assert.strictEqual(lineOf(prod, "App Runner memory").monthly, 10.22);
        assert.strictEqual(lineOf(prod, "App Runner vCPU").monthly, 46.72);
        // 30-day retention keeps 30/30.42 of a month's 1 GB per group: 3 groups, 2.96 GB-mo × $0.03 = 0.09.
        assert.strictEqual(lineOf(prod, "CloudWatch Logs storage").monthly, 0.09);
        // 10 releases × 2 platform images + 2 build caches = 22 images × 150 MB = 3.22 GB × $0.10.
        assert.deepStrictEqual(
            [lineOf(prod, "ECR storage").item, lineOf(prod, "ECR storage").monthly],
            ["ECR storage (22 images kept)", 0.32],
        );
    });

    it("prices Express Mode as its minimum x86 Fargate tasks on demand plus the load balancer it creates", () => {
        // 1 task × 0.25 vCPU × 730 h = 182.5 vCPU-h × $0.04048 = 7.39; 0.5 GB × 730 = 365 GB-h × $0.004445 = 1.62.
        const vcpu = lineOf(prod, "Express Mode X86_64 vCPU (1 × 0.25 vCPU / 0.5 GB)");
        assert.deepStrictEqual([vcpu.quantity, vcpu.monthly, vcpu.x86Twin.monthly], [182.5, 7.39, 7.39]);
        assert.strictEqual(lineOf(prod, "Express Mode X86_64 memory").monthly, 1.62);
        assert.strictEqual(lineOf(prod, "Express Mode's Application Load Balancer (2 AZs)").monthly, 16.43);
        assert.strictEqual(lineOf(prod, "Express Mode's ALB capacity units").monthly, 5.84);
        assert.ok(!dev.lines.some((entry) => entry.item.startsWith("Express Mode")));
    });

    it("prices dev's ARM service on Fargate Spot at the discount it prints, beside an x86 Spot twin", async () => {
        // 182.5 vCPU-h × $0.03238 × 0.33 = 1.95 (twin $0.04048 × 0.33: 2.44); 365 GB-h × $0.00356 × 0.33 = 0.43.
        const vcpu = lineOf(dev, "Fargate ARM64 Spot (67% off) vCPU (1 × 0.25 vCPU / 0.5 GB)");
        assert.deepStrictEqual(
            [vcpu.quantity, vcpu.unitPrice, vcpu.monthly, vcpu.x86Twin.monthly],
            [182.5, 0.0106854, 1.95, 2.44],
        );
        assert.deepStrictEqual(
            [
                lineOf(dev, "Fargate ARM64 Spot (67% off) memory").monthly,
                lineOf(dev, "Fargate ARM64 Spot").x86Twin.monthly,
            ],
            [0.43, 2.44],
        );
        assert.ok(!dev.lines.some((entry) => /^Fargate ARM64 (vCPU|memory)/.test(entry.item)), "no on-demand ARM line");
        // prod keeps its ARM tasks on demand.
        assert.ok(!prod.lines.some((entry) => entry.item.includes("Spot")));
        // --spot-discount 40: 182.5 × $0.03238 × 0.6 = 3.55, the x86 Spot twin 182.5 × $0.04048 × 0.6 = 4.43.
        const { out } = await run(["--stack", "dev", "--spot-discount", "40"]);
        assert.match(
            out,
            /Fargate ARM64 Spot \(40% off\) vCPU \(1 × 0\.25 vCPU \/ 0\.5 GB\)\s+182\.5 vCPU-h\s+\$0\.019428\/vCPU-h\s+\$3\.55\s+\$4\.43/,
        );
        assert.match(out, /Fargate Spot: 40% off each architecture's on-demand rate \(--spot-discount\)/);
    });

    it("splits a service's tasks over a strategy as ECS places them: the base first, the rest by weight", () => {
        const spot = { capacityProvider: "FARGATE_SPOT", weight: 1 };
        assert.strictEqual(spotTasksOf(2, undefined), 0);
        assert.strictEqual(spotTasksOf(3, [spot]), 3);
        assert.strictEqual(spotTasksOf(3, [{ capacityProvider: "FARGATE", base: 1, weight: 0 }, spot]), 2);
        assert.strictEqual(spotTasksOf(1, [{ capacityProvider: "FARGATE", base: 2, weight: 0 }, spot]), 0);
        assert.strictEqual(
            spotTasksOf(5, [
                { capacityProvider: "FARGATE", base: 1, weight: 1 },
                { ...spot, weight: 3 },
            ]),
            3,
        );
    });

    it("totals exactly the lines, and the x86 twin costs more by exactly the Graviton parts", () => {
        for (const result of [dev, prod, prodIreland]) {
            assert.strictEqual(
                cents(result.total),
                result.lines.reduce((sum, entry) => sum + cents(entry.monthly), 0),
            );
            assert.strictEqual(
                cents(result.x86TwinTotal),
                result.lines.reduce((sum, entry) => sum + cents(entry.x86Twin.monthly), 0),
            );
            const differing = result.lines
                .filter((entry) => entry.monthly !== entry.x86Twin.monthly)
                .map((entry) => entry.item);
            const arm = result === dev ? "Fargate ARM64 Spot (67% off)" : "Fargate ARM64";
            assert.deepStrictEqual(differing, [
                differing.find((item) => item.startsWith(`${arm} vCPU`)),
                `${arm} memory`,
                differing.find((item) => item.startsWith("Lambda arm64 compute")),
            ]);
        }
        // prod: vCPU 59.10 − 47.27, memory 12.98 − 10.40 (2,920 GB-h), Lambda 3.33 − 2.67 = 11.83 + 2.58 + 0.66.
        assert.strictEqual(prod.saving, 15.07);
        assert.strictEqual(cents(prod.x86TwinTotal - prod.total), 1507);
        // So the compute that moved holds the whole saving, cent for cent.
        for (const result of [dev, prod, prodIreland]) {
            assert.strictEqual(
                result.gravitonCompute.reduce((sum, compute) => sum + cents(compute.saving), 0),
                cents(result.saving),
            );
        }
    });

    it("gives the saving on the compute that moved alone, each runtime against the same compute on x86", () => {
        const figures = (result: StackEstimate) =>
            result.gravitonCompute.map((compute) => [
                compute.runtime,
                compute.monthly,
                compute.x86Twin,
                compute.saving,
                Math.round(compute.savingShare * 1000) / 10,
            ]);
        // prod on demand: vCPU 47.27 + memory 10.40 = 57.67 against 59.10 + 12.98 = 72.08; the exact share
        // 1 − (1,460 × 0.03238 + 2,920 × 0.00356) / (1,460 × 0.04048 + 2,920 × 0.004445) = 1 − 57.67 / 72.08 = 20.0%.
        // Lambda: 200,000 GB-s at $0.0000133334 against $0.0000166667: 2.67 against 3.33, 1 − 0.8 = 20.0%.
        assert.deepStrictEqual(figures(prod), [
            ["Fargate ARM64", 57.67, 72.08, 14.41, 20],
            ["Lambda arm64", 2.67, 3.33, 0.66, 20],
        ]);
        // dev's ARM tasks on Spot against x86 tasks on Spot (not on demand): 1.95 + 0.43 against 2.44 + 0.54;
        // Lambda at 512 MB: 100,000 GB-s, 1.33 against 1.67.
        assert.deepStrictEqual(figures(dev), [
            ["Fargate ARM64", 2.38, 2.98, 0.6, 20],
            ["Lambda arm64", 1.33, 1.67, 0.34, 20],
        ]);
    });

    it("sums a service's on-demand base and its Spot tasks into one Fargate figure, each against its x86 twin", async () => {
        // prod's 2 ARM tasks of 1 vCPU / 2 GB with one on demand and one on Spot at 67% off.
        const inventory = inventoryOf(await stackRun("prod"));
        const arm = inventory.fargate.find((fleet) => fleet.architecture === "ARM64");
        assert.ok(arm);
        const mixed = estimate(
            {
                ...inventory,
                fargate: inventory.fargate.map((fleet) => (fleet === arm ? { ...fleet, spotTasks: 1 } : fleet)),
            },
            pricesFor("us-east-1"),
        );
        // On demand 730 × 0.03238 = 23.64 and 1,460 × 0.00356 = 5.20; Spot 730 × 0.0106854 = 7.80 and
        // 1,460 × 0.0011748 = 1.72: 38.36. The twin: 29.55 + 6.49 on demand, 730 × 0.0133584 = 9.75 and
        // 1,460 × 0.00146685 = 2.14 on Spot: 47.93.
        const [fargate] = mixed.gravitonCompute;
        assert.deepStrictEqual(
            [fargate.runtime, fargate.monthly, fargate.x86Twin, fargate.saving],
            ["Fargate ARM64", 38.36, 47.93, 9.57],
        );
    });

    it("says what each stack costs a day: the month over 365/12 days", async () => {
        // 84.77 / 30.4167 = 2.787; prod with App Runner and Express Mode on 337.07 / 30.4167 = 11.082.
        assert.deepStrictEqual([dev.total, dev.perDay, prod.total, prod.perDay], [84.77, 2.79, 337.07, 11.08]);
        const { out } = await run(["--stack", "dev"]);
        assert.match(out, /^ {2}a day: \$2\.79 \(a month of 30\.42 days on average\)$/m);
        assert.match(out, /^ {4}Fargate ARM64: \$2\.38 a month against \$2\.98, saving \$0\.60 \(20\.0%\)$/m);
        // Dashboards and alarms are priced without the account's free tier, and the assumptions say so.
        assert.match(out, /free tier \(3 dashboards, 10 alarm metrics a month\) taken as used up/);
    });

    it("refuses a region it has no prices for, naming aws:region and the regions it has", async () => {
        await assert.rejects(
            estimateStack("dev", defaultAssumptions, { "aws:region": "ap-south-1" }),
            new RegExp(
                `aws:region = "ap-south-1": the cost report has no prices for this region; it has prices for ${pricedRegions.join(", ")}`,
            ),
        );
        assert.deepStrictEqual(pricedRegions, ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"]);
        assert.throws(() => pricesFor("mars-north-1"), /aws:region = "mars-north-1"/);
    });

    it("refuses App Runner in a region with no App Runner prices, and prices the rest without it", async () => {
        await assert.rejects(
            estimateStack("prod", defaultAssumptions, { ...everyRuntime, "aws:region": "eu-central-1" }),
            /aws:region = "eu-central-1": the cost report has no App Runner prices for this region \(stack prod turns App Runner on\)/,
        );
        const frankfurt = await estimateStack("prod", defaultAssumptions, {
            "aws:region": "eu-central-1",
            "graviton-multiarch:appRunner.enabled": false,
        });
        // Frankfurt Fargate ARM vCPU $0.03725 × 1,460 = 54.385; NAT 1,460 × $0.052 = 75.92.
        assert.strictEqual(lineOf(frankfurt, "Fargate ARM64 vCPU").monthly, 54.39);
        assert.strictEqual(lineOf(frankfurt, "NAT gateways").monthly, 75.92);
    });
});

/** A program run with resources added, as the program registers them once it has them. */
function withResources(run: ProgramRun, added: Pick<CapturedResource, "type" | "name" | "inputs">[]): ProgramRun {
    const resources: CapturedResource[] = [
        ...run.resources,
        ...added.map((resource) => ({
            ...resource,
            custom: true,
            state: {},
            id: undefined,
            options: {},
            secretInputs: [],
            urn: `urn:pulumi:${run.stack}::fake::${resource.type}::${resource.name}`,
            dependencies: {},
        })),
    ];
    return {
        ...run,
        resources,
        ofType: <T>(type: string) => resources.filter((resource) => resource.type === type) as CapturedResource<T>[],
    };
}

describe("npm run cost: CloudWatch dashboards and alarms, from what the program registers", () => {
    const alarm = (name: string, inputs: Record<string, unknown>) => ({
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        inputs: { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 3, threshold: 1, ...inputs },
    });
    const metric = (id: string, metricName: string, period = 60) => ({
        id,
        metric: { namespace: "AWS/ApplicationELB", metricName, period, stat: "Sum" },
    });
    // A target 5xx rate: two metrics read, one expression over them.
    const rate = (name: string) =>
        alarm(name, {
            metricQueries: [
                metric("errors", "HTTPCode_Target_5XX_Count"),
                metric("requests", "RequestCount"),
                { id: "rate", expression: "100 * errors / requests", returnData: true },
            ],
        });
    const p99 = (name: string) =>
        alarm(name, {
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            extendedStatistic: "p99",
            period: 60,
        });
    // The dev stack as the program registers it, and the same run without its dashboard and alarms.
    const monitoringTypes = ["aws:cloudwatch/dashboard:Dashboard", "aws:cloudwatch/metricAlarm:MetricAlarm"];
    const unmonitored = async (): Promise<ProgramRun> => {
        const run = await stackRun("dev");
        const resources = run.resources.filter((resource) => !monitoringTypes.includes(resource.type));
        return {
            ...withResources(run, []),
            resources,
            ofType: (type) => (monitoringTypes.includes(type) ? [] : run.ofType(type)),
        };
    };
    const priced = async (added: Parameters<typeof withResources>[1]) =>
        estimate(inventoryOf(withResources(await unmonitored(), added)), pricesFor("us-east-1"));

    it("prices the stack's dashboard at $3 a month and each of its alarms per metric it reads, $0.10 each", async () => {
        const plain = estimate(inventoryOf(await unmonitored()), pricesFor("us-east-1"));
        const monitored = estimate(inventoryOf(await stackRun("dev")), pricesFor("us-east-1"));
        const added = monitored.lines.filter((entry) => !plain.lines.some((other) => other.item === entry.item));
        // Two 5xx rates (2 metrics each), two p99s (1 each) and ARM's p99 over x86's, gated on both request counts (4):
        // 10 alarm metrics × $0.10.
        assert.deepStrictEqual(
            added.map((entry) => [entry.item, entry.quantity, entry.unitPrice, entry.monthly, entry.x86Twin.monthly]),
            [
                ["CloudWatch dashboards (1)", 1, 3, 3, 3],
                ["CloudWatch alarms (5, metrics each read)", 10, 0.1, 1, 1],
            ],
        );
        // The same on x86: the saving does not move, the total does by $4.
        assert.deepStrictEqual([monitored.saving, cents(monitored.total - plain.total)], [plain.saving, 400]);
    });

    it("prices an alarm with a period under a minute as high resolution, $0.30 a metric", async () => {
        const monitored = await priced([
            rate("arm-5xx"),
            alarm("fast", { namespace: "AWS/ApplicationELB", metricName: "RequestCount", period: 10 }),
        ]);
        assert.deepStrictEqual(
            monitored.lines
                .filter((entry) => entry.item.startsWith("CloudWatch alarms"))
                .map((entry) => [entry.item, entry.monthly]),
            [
                ["CloudWatch alarms (1, metrics each read)", 0.2],
                ["CloudWatch alarms, high resolution (1, metrics each read)", 0.3],
            ],
        );
    });

    it("refuses alarms it cannot price, naming them: anomaly detection bands and Metrics Insights queries", async () => {
        await assert.rejects(
            priced([alarm("band", { ...p99("band").inputs, comparisonOperator: "GreaterThanUpperThreshold" })]),
            /cost report: alarm band compares with an anomaly detection band \(GreaterThanUpperThreshold\)/,
        );
        await assert.rejects(
            priced([
                alarm("insights", {
                    metricQueries: [{ id: "q", expression: 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/ECS")' }],
                }),
            ]),
            /cost report: alarm insights reads no metric/,
        );
    });
});

describe("npm run cost: the command", () => {
    it("prints machine-readable JSON with --json: it parses and its lines sum to its totals", async () => {
        const running = run(["--json", "--stack", "prod", "--lambda-requests", "0"]);
        // Logged while the program runs: without an engine it goes to console.log (docs/platform-facts.md, "npm install scripts and script output").
        void pulumi.log.info("logged by the program");
        const { code, out, err } = await running;
        assert.strictEqual(code, 0);
        assert.strictEqual(err, "info: [runtime] logged by the program\n");
        const report = JSON.parse(out) as {
            assumptions: { lambdaRequestsPerMonth: number };
            stacks: (StackEstimate & { sources: Record<string, string[]> })[];
        };
        assert.strictEqual(report.assumptions.lambdaRequestsPerMonth, 0);
        assert.deepStrictEqual(
            report.stacks.map((stack) => stack.stack),
            ["prod"],
        );
        const [prod] = report.stacks;
        assert.strictEqual(
            cents(prod.total),
            prod.lines.reduce((sum, entry) => sum + cents(entry.monthly), 0),
        );
        assert.strictEqual(cents(prod.x86TwinTotal) - cents(prod.total), cents(prod.saving));
        assert.strictEqual(lineOf(prod, "Lambda requests").monthly, 0);
        // No request, no Lambda compute either: 241.02 − 0.20 − 2.67 = 238.15 a month, 7.83 a day, and no Lambda saving.
        assert.deepStrictEqual(
            [prod.perDay, prod.gravitonCompute.map((compute) => [compute.runtime, compute.saving])],
            [
                7.83,
                [
                    ["Fargate ARM64", 14.41],
                    ["Lambda arm64", 0],
                ],
            ],
        );
        assert.match(prod.sources.natGateway.join(" "), /meteredUnitMaps/);
    });

    it("prices a stack with the config values --config sets", async () => {
        const { code, out } = await run(["--json", "--stack", "dev", "--config", "aws:region=eu-west-1"]);
        assert.strictEqual(code, 0);
        const [dev] = (JSON.parse(out) as { stacks: StackEstimate[] }).stacks;
        assert.deepStrictEqual([dev.region, lineOf(dev, "NAT gateways").unitPrice], ["eu-west-1", 0.048]);
    });

    it("prints the tables, the saving, the assumptions and the sources", async () => {
        const { code, out } = await run(["--stack", "prod", "--nat-gb", "100"]);
        assert.strictEqual(code, 0);
        assert.match(out, /NAT gateways \(2\)\s+1,460 h\s+\$0\.045\/h\s+\$65\.70\s+\$65\.70/);
        assert.match(out, /NAT data processed\s+100 GB\s+\$0\.045\/GB\s+\$4\.50/);
        assert.match(out, /saving with Graviton: \$15\.07 a month/);
        assert.match(out, /NAT gateways: 100 GB a month processed in all \(--nat-gb\)/);
        assert.match(out, /us-east-1 prices recorded on \d{4}-\d{2}-\d{2}, sources: pageData/);
        assert.match(out, /^ {2}pageData: AWS pricing-page data files/m);
        assert.ok(!out.includes("== stack dev"));
    });

    it("prints usage on stdout and exits 0 for --help", async () => {
        const { code, out, err } = await run(["--help"]);
        assert.deepStrictEqual([code, err], [0, ""]);
        assert.match(out, /^usage: npm run cost -- \[--stack <name>\]\.\.\. \[--json\]/);
        assert.match(out, /--nat-gb <n>/);
    });

    it("exits 2 with the error on stderr for bad arguments, naming the flag", async () => {
        for (const [argv, message] of [
            // An unknown flag also gets the usage line, as every command of the project does (commands/cli.ts).
            [["--region", "x"], /^error: unknown argument "--region"\nusage: npm run cost -- .*\n$/],
            [["--lambda-ms", "fast"], /^error: --lambda-ms must be a whole number from 0 to 900000; got "fast"\n$/],
            [["--nat-gb=-3"], /^error: --nat-gb must be a number of at least 0, like 10 or 0\.5; got "-3"\n$/],
            [["--nat-gb", "-3"], /^error: --nat-gb needs a value\n$/],
            [["--stack", "qa"], /^error: --stack must be one of dev, prod; got "qa"\n$/],
        ] as const) {
            const { code, out, err } = await run([...argv]);
            assert.deepStrictEqual([code, out], [2, ""], argv.join(" "));
            assert.match(err, message);
        }
        assert.throws(() => parseCostArgs(["--apprunner-active-hours", "800"]), /from 0 to 730/);
    });

    it("covers every stack by default", () => {
        assert.deepStrictEqual(parseCostArgs([]).stacks, ["dev", "prod"]);
    });

    it("as a process through npm run -s: the JSON alone on stdout, exit code 0", async function () {
        this.timeout(60_000);
        // Exit codes and usage of every command as a process: tests/cli.test.ts. Here the README's command itself,
        // where -s keeps npm's "> graviton-multiarch@0.1.0 cost" lines off stdout (docs/platform-facts.md, "npm install scripts and script output").
        const json = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn("npm", ["run", "-s", "cost", "--", "--json", "--stack", "dev"], { cwd: projectRoot });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            child.on("close", (status) => resolve({ status, stdout, stderr }));
        });
        assert.strictEqual(json.status, 0, json.stderr);
        assert.strictEqual((JSON.parse(json.stdout) as { stacks: StackEstimate[] }).stacks[0].stack, "dev");
    });
});
