import * as assert from "assert";
import { parseStackConfig } from "../config";
import { main, parseCostArgs } from "../scripts/cost";
import {
    appRunnerMonthly,
    defaultAssumptions,
    estimateMonthlyCost,
    fargateMonthly,
    lambdaMonthly,
} from "../scripts/costModel";
import { prices } from "../scripts/pricing";
import { stackConfig } from "./harness";

// Figures below are worked out by hand from the price table (730 hours a month).
const cents = (amount: number) => Math.round(amount * 100) / 100;

describe("cost model", () => {
    it("prices a Fargate task by vCPU-hours and GB-hours", () => {
        // 1 vCPU, 2 GB on x86: (0.04048 + 2 × 0.004445) × 730 = 36.0401
        assert.strictEqual(cents(fargateMonthly(1, 1024, 2048, prices.fargate.x86)), 36.04);
        // the same on ARM: (0.03238 + 2 × 0.00356) × 730 = 28.835
        assert.strictEqual(cents(fargateMonthly(1, 1024, 2048, prices.fargate.arm)), 28.84);
        // 0.25 vCPU, 0.5 GB on ARM: (0.25 × 0.03238 + 0.5 × 0.00356) × 730 = 7.208
        assert.strictEqual(cents(fargateMonthly(1, 256, 512, prices.fargate.arm)), 7.21);
    });

    it("prices Lambda by GB-seconds plus requests", () => {
        // 1,000,000 × 0.2 s × 1 GB = 200,000 GB-s; × 0.0000133334 = 2.66668; + 0.20 for the requests
        assert.strictEqual(cents(lambdaMonthly(1024, defaultAssumptions, prices.lambda.arm.perGbSecond)), 2.87);
        // x86: 200,000 × 0.0000166667 = 3.33334; + 0.20
        assert.strictEqual(cents(lambdaMonthly(1024, defaultAssumptions, prices.lambda.x86.perGbSecond)), 3.53);
        const quiet = { ...defaultAssumptions, lambdaRequestsPerMonth: 0 };
        assert.strictEqual(lambdaMonthly(1024, quiet, prices.lambda.arm.perGbSecond), 0);
    });

    it("prices App Runner memory all month and vCPU only while active", () => {
        // 2 GB × 0.007 × 730 = 10.22; 1 vCPU × 0.064 × 730 = 46.72
        assert.strictEqual(cents(appRunnerMonthly(1024, 2048, defaultAssumptions)), 56.94);
        // idle all month: memory only
        assert.strictEqual(
            cents(appRunnerMonthly(1024, 2048, { ...defaultAssumptions, appRunnerActiveHours: 0 })),
            10.22,
        );
    });

    it("compares the prod stack with the same capacity on x86_64 only", () => {
        const estimate = estimateMonthlyCost(parseStackConfig(stackConfig("prod"), "prod"));
        // configured: 2 × 36.0401 + 2 × 28.835 + 2.86668 + 56.94 = 189.55688
        assert.strictEqual(cents(estimate.configured), 189.56);
        // x86 only: 4 × 36.0401 + 3.53334 + 56.94 = 204.63374
        assert.strictEqual(cents(estimate.x86Only), 204.63);
        assert.strictEqual(cents(estimate.saving), 15.08);
        assert.strictEqual(Math.round(estimate.savingShare * 1000) / 10, 7.4);
        const appRunner = estimate.lines.find((line) => line.item.startsWith("App Runner"));
        assert.ok(
            appRunner && appRunner.configured === appRunner.x86Only,
            "App Runner runs amd64 only: no saving there",
        );
    });

    it("leaves App Runner out when the stack switches it off", () => {
        const config = parseStackConfig(stackConfig("prod", { "graviton-multiarch:appRunner.enabled": false }), "prod");
        const estimate = estimateMonthlyCost(config);
        assert.ok(!estimate.lines.some((line) => line.item.startsWith("App Runner")));
        assert.strictEqual(cents(estimate.configured), cents(189.55688 - 56.94));
    });
});

describe("npm run cost", () => {
    it("prints both columns, the saving and the assumptions", async () => {
        let output = "";
        const code = await main(["--stack", "prod", "--lambda-requests", "0"], (text) => (output += text));
        assert.strictEqual(code, 0);
        assert.match(output, /== stack prod: monthly on-demand compute, us-east-1/);
        assert.match(output, /total\s+\$186\.69\s+\$201\.10/);
        assert.match(output, /saving with Graviton: \$14\.41 a month/);
        assert.match(output, /Lambda: 0 requests a month at 200 ms average/);
        assert.match(output, /prices as recorded on \d{4}-\d{2}-\d{2}: AWS Fargate pricing page/);
        assert.ok(!output.includes("== stack dev"));
    });

    it("covers every stack by default", () => {
        assert.deepStrictEqual(parseCostArgs([]).stacks, ["dev", "prod"]);
    });

    it("rejects bad arguments, naming the flag", async () => {
        let output = "";
        assert.strictEqual(await main(["--lambda-ms", "fast"], (text) => (output += text)), 2);
        assert.match(output, /--lambda-ms must be a whole number from 0 to 900000; got "fast"/);
        assert.throws(() => parseCostArgs(["--stack", "qa"]), /--stack must be one of dev, prod; got "qa"/);
        assert.throws(() => parseCostArgs(["--apprunner-active-hours", "800"]), /from 0 to 730/);
        assert.throws(() => parseCostArgs(["--region", "x"]), /Unknown option '--region'/);
    });
});
