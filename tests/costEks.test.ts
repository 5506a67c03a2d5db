import * as assert from "assert";
import { main, parseCostArgs } from "../commands/cost/cost";
import { CostLine, estimate, inventoryOf, StackEstimate } from "../commands/cost/costModel";
import { eksLines, x86TwinOf } from "../commands/cost/costModelEks";
import { pricesFor } from "../prices/prices";
import { eksRun, stackRun } from "./harness";

// Figures worked out by hand from prices/prices.ts (730 hours a month).
const lineOf = (result: StackEstimate, start: string): CostLine => {
    const found = result.lines.find((entry) => entry.item.startsWith(start));
    assert.ok(found, `no line starting "${start}" in ${result.lines.map((entry) => entry.item).join(" | ")}`);
    return found;
};

describe("npm run cost: EKS", () => {
    // What estimateStack does, on the shared runs: what the program registers does not depend on the price table,
    // so a run can be priced with another region's table.
    const priced = async (run: ReturnType<typeof stackRun>, region = "us-east-1") =>
        estimate(inventoryOf(await run), pricesFor(region));
    let dev: StackEstimate;
    let devWithout: StackEstimate;
    before(async () => {
        dev = await priced(eksRun("dev"));
        devWithout = await priced(stackRun("dev"));
    });

    it("prices nothing of EKS while it is off", () => {
        assert.deepStrictEqual(
            devWithout.lines.filter((entry) => /EKS|Classic Load Balancer/.test(entry.item)),
            [],
        );
    });

    it("prices the cluster at $0.10 an hour in standard support", () => {
        const cluster = lineOf(dev, "EKS cluster");
        assert.deepStrictEqual(
            [cluster.item, cluster.quantity, cluster.unitPrice, cluster.monthly, cluster.x86Twin.monthly],
            ["EKS cluster, standard support (1)", 730, 0.1, 73, 73],
        );
    });

    it("prices the desired nodes all month, beside x86 nodes of the same size", () => {
        // 2 × 730 h × $0.0336 = 49.056; the t3.medium twin 1,460 × $0.0416 = 60.736.
        const nodes = lineOf(dev, "EKS nodes");
        assert.deepStrictEqual(
            [nodes.item, nodes.quantity, nodes.unitPrice, nodes.monthly, nodes.x86Twin],
            [
                "EKS nodes 2 × t4g.medium (x86 twin t3.medium)",
                1460,
                0.0336,
                49.06,
                { unitPrice: 0.0416, monthly: 60.74 },
            ],
        );
        // Graviton saves on the nodes only: the x86 twin of every other EKS line is the line itself.
        const saving = Math.round((dev.saving - devWithout.saving) * 100) / 100;
        assert.strictEqual(saving, 11.68);
        // Beside the Fargate tasks and the Lambda function, the nodes are compute that moved: 1 − 0.0336 / 0.0416 = 19.2%.
        const moved = dev.gravitonCompute.find((compute) => compute.runtime === "EKS Graviton nodes");
        assert.deepStrictEqual(
            [moved?.monthly, moved?.x86Twin, moved?.saving, Math.round((moved?.savingShare ?? 0) * 1000) / 10],
            [49.06, 60.74, 11.68, 19.2],
        );
        assert.deepStrictEqual(
            dev.gravitonCompute.map((compute) => compute.runtime),
            ["Fargate ARM64", "Lambda arm64", "EKS Graviton nodes"],
        );
    });

    it("prices the Classic Load Balancer of the Service and its public addresses", () => {
        assert.strictEqual(lineOf(dev, "Classic Load Balancer (Service eks-app)").monthly, 18.25);
        assert.strictEqual(lineOf(dev, "Classic Load Balancer data processed").monthly, 0.08);
        // The NAT gateway, the ALB's two subnets and the Classic Load Balancer's two: 5 × 730 × $0.005.
        assert.strictEqual(lineOf(dev, "Public IPv4 addresses (5)").monthly, 18.25);
        // EKS adds 73 + 49.06 + 18.25 + 0.08 + 2 × 3.65 in all.
        assert.strictEqual(Math.round((dev.total - devWithout.total) * 100), 14769);
    });

    it("prices prod in eu-west-1 from Ireland's figures, with the control-plane log group", async () => {
        const prod = await priced(eksRun("prod"), "eu-west-1");
        // 1,460 × $0.0368 = 53.728; Classic Load Balancer 730 × $0.028 = 20.44.
        assert.strictEqual(lineOf(prod, "EKS nodes").monthly, 53.73);
        assert.strictEqual(lineOf(prod, "Classic Load Balancer (Service").monthly, 20.44);
        assert.strictEqual(lineOf(prod, "CloudWatch Logs ingestion").item, "CloudWatch Logs ingestion (3 groups)");
    });

    it("refuses EKS where no source gives the Classic Load Balancer's price, and prices the rest without it", async () => {
        for (const region of ["us-east-2", "us-west-2", "eu-central-1"]) {
            assert.strictEqual(pricesFor(region).classicLoadBalancer, undefined, region);
        }
        await assert.rejects(
            priced(eksRun("dev"), "us-west-2"),
            /aws:region = "us-west-2": the cost report has no Classic Load Balancer prices for this region \(stack dev turns EKS on, and its LoadBalancer Service gets one\); set graviton-multiarch:eks\.enabled to false/,
        );
        const withoutEks = await priced(stackRun("dev"), "us-west-2");
        assert.ok(!withoutEks.lines.some((entry) => entry.item.startsWith("EKS")));
    });

    it("refuses a node type it has no price for, naming the key", () => {
        const inventory = {
            clusters: [{ name: "eks" }],
            nodeGroups: [{ name: "eks-graviton", instanceType: "c7g.large", nodes: 2 }],
            classicLoadBalancers: [],
        };
        assert.throws(
            () => eksLines(inventory, pricesFor("us-east-1"), "dev", 10),
            /graviton-multiarch:eks\.instanceTypes starts with c7g\.large: the cost report has no us-east-1 price for it or its x86 twin; it prices t4g\.small, t4g\.medium, t4g\.large, m7g\.large/,
        );
        // Every type it prices has a price and an x86 twin in every region.
        for (const region of ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"]) {
            for (const [graviton, twin] of Object.entries(x86TwinOf)) {
                assert.ok(pricesFor(region).ec2[graviton] < pricesFor(region).ec2[twin], `${region} ${graviton}`);
            }
        }
    });

    it("takes the load balancer's traffic from --clb-gb and says so", async () => {
        assert.strictEqual(parseCostArgs(["--clb-gb", "250"]).usage.clbGbPerMonth, 250);
        assert.throws(() => parseCostArgs(["--clb-gb", "lots"]), /--clb-gb must be a number of at least 0/);
        let out = "";
        const code = await main(["--stack", "dev"], (text) => (out += text));
        assert.strictEqual(code, 0);
        assert.match(out, /Classic Load Balancer with 10 GB a month processed \(--clb-gb\)/);
        assert.match(out, /EKS \(when on\): the cluster in standard support \(\$0\.60 an hour in extended support\)/);
    });
});
