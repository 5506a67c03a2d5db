// What EKS adds to the bill, read from the resources the program registers: the cluster, its managed node groups'
// instances and the Classic Load Balancer the cloud provider makes for each LoadBalancer Service
// (docs/platform-facts.md, "EKS prices").
import type { ProgramRun } from "../../harness";
import { hoursPerMonth, RegionPrices } from "../../prices/prices";

/** The billable EKS parts of one program run. */
export interface EksInventory {
    readonly clusters: readonly { readonly name: string }[];
    readonly nodeGroups: readonly {
        readonly name: string;
        /** The type EKS launches first: on-demand capacity follows the order of `instanceTypes`. */
        readonly instanceType: string;
        /** The desired size, all month. */
        readonly nodes: number;
    }[];
    /** One Classic Load Balancer per LoadBalancer Service, internet-facing, across the network's public subnets. */
    readonly classicLoadBalancers: readonly { readonly service: string; readonly subnets: number }[];
}

/** Each Graviton node type the report prices and its x86 twin of the same vCPUs and memory (EC2 instance types). */
export const x86TwinOf: Readonly<Record<string, string>> = {
    "t4g.small": "t3.small",
    "t4g.medium": "t3.medium",
    "t4g.large": "t3.large",
    "m7g.large": "m7i.large",
};

interface NodeGroupInputs {
    instanceTypes?: string[];
    scalingConfig?: { desiredSize?: number };
}

/** Reads the cluster, node groups and LoadBalancer Services the program registered. */
export function eksInventoryOf(run: ProgramRun, publicSubnets: number): EksInventory {
    const nodeGroups = run.ofType<NodeGroupInputs>("aws:eks/nodeGroup:NodeGroup").map((group) => {
        const instanceType = group.inputs.instanceTypes?.[0];
        const nodes = group.inputs.scalingConfig?.desiredSize;
        if (instanceType === undefined || nodes === undefined) {
            throw new Error(`cost report: EKS node group ${group.name} names no instance type or desired size`);
        }
        return { name: group.name, instanceType, nodes };
    });
    const classicLoadBalancers = run
        .ofType<{ spec?: { type?: string } }>("kubernetes:core/v1:Service")
        .filter((service) => service.inputs.spec?.type === "LoadBalancer")
        .map((service) => ({ service: service.name, subnets: publicSubnets }));
    return {
        clusters: run.ofType("aws:eks/cluster:Cluster").map((cluster) => ({ name: cluster.name })),
        nodeGroups,
        classicLoadBalancers,
    };
}

/** A priced line before rounding: what costModel's `line` takes, the nodes marked as the compute on Graviton. */
export type LineArgs = [
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
    twinUnitPrice?: number,
    graviton?: "EKS Graviton nodes",
];

/**
 * The EKS lines of a stack, or an error naming the key and what is missing when the region's table cannot price them
 * (as App Runner is refused where it has no prices).
 */
export function eksLines(
    inventory: EksInventory,
    prices: RegionPrices,
    stack: string,
    lbGbPerMonth: number,
): LineArgs[] {
    if (inventory.clusters.length === 0) {
        return [];
    }
    const clb = prices.classicLoadBalancer;
    if (clb === undefined && inventory.classicLoadBalancers.length > 0) {
        throw new Error(
            `aws:region = "${prices.region}": the cost report has no Classic Load Balancer prices for this region (stack ${stack} turns EKS on, and its LoadBalancer Service gets one); set graviton-multiarch:eks.enabled to false or add the prices with a source to prices/prices.ts`,
        );
    }
    const lines: LineArgs[] = [
        [
            `EKS cluster, standard support (${inventory.clusters.length})`,
            inventory.clusters.length * hoursPerMonth,
            "cluster-h",
            prices.eks.clusterPerHour,
        ],
    ];
    for (const group of inventory.nodeGroups) {
        const rate = prices.ec2[group.instanceType];
        const twin = x86TwinOf[group.instanceType];
        const twinRate = twin === undefined ? undefined : prices.ec2[twin];
        if (rate === undefined || twinRate === undefined) {
            throw new Error(
                `graviton-multiarch:eks.instanceTypes starts with ${group.instanceType}: the cost report has no ${prices.region} price for it or its x86 twin; it prices ${Object.keys(x86TwinOf).join(", ")} (add the type and its twin with a source to prices/prices.ts)`,
            );
        }
        lines.push([
            `EKS nodes ${group.nodes} × ${group.instanceType} (x86 twin ${twin})`,
            group.nodes * hoursPerMonth,
            "instance-h",
            rate,
            twinRate,
            "EKS Graviton nodes",
        ]);
    }
    if (clb !== undefined) {
        for (const balancer of inventory.classicLoadBalancers) {
            lines.push(
                [`Classic Load Balancer (Service ${balancer.service})`, hoursPerMonth, "h", clb.perHour],
                ["Classic Load Balancer data processed", lbGbPerMonth, "GB", clb.perGbProcessed],
            );
        }
    }
    return lines;
}

/** Public IPv4 addresses the Classic Load Balancers hold: one per subnet, the fewest an internet-facing one has. */
export function eksPublicAddresses(inventory: EksInventory): number {
    return inventory.classicLoadBalancers.reduce((sum, balancer) => sum + balancer.subnets, 0);
}
