import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { componentType } from "./project";
import { checkArguments, Problem, Rule } from "./rules";

export interface NetworkArgs {
    /** An existing VPC to reuse; when set, both subnet lists are required and nothing is created. */
    readonly vpcId?: string;
    readonly publicSubnetIds?: readonly string[];
    readonly privateSubnetIds?: readonly string[];
    /** For a new VPC. */
    readonly cidrBlock?: string;
    /** For a new VPC: one NAT gateway for the VPC (cheap) or one per AZ (survives an AZ outage). */
    readonly natGateways?: "Single" | "OnePerAz";
}

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const networkDefaults: Readonly<Required<Pick<NetworkArgs, "cidrBlock" | "natGateways">>> = {
    cidrBlock: "10.0.0.0/16",
    natGateways: "Single",
};

/** The VPC the services run in: a new one over two AZs, or an existing one by id. */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    /** For the load balancer. */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** For tasks: no public IPs, egress through NAT. */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Only when the VPC is created here. */
    public readonly vpc?: awsx.ec2.Vpc;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { cidrBlock, natGateways } = { ...networkDefaults, ...args };
        checkArguments("Network", networkRules, args, networkProblems);
        super(componentType("network", "Network"), name, {}, opts);

        if (args.vpcId !== undefined) {
            this.vpcId = pulumi.output(args.vpcId);
            this.publicSubnetIds = pulumi.output([...(args.publicSubnetIds ?? [])]);
            this.privateSubnetIds = pulumi.output([...(args.privateSubnetIds ?? [])]);
        } else {
            this.vpc = new awsx.ec2.Vpc(
                name,
                {
                    cidrBlock,
                    numberOfAvailabilityZones: 2,
                    enableDnsHostnames: true,
                    natGateways: { strategy: natGateways },
                    subnetStrategy: "Auto",
                    subnetSpecs: [{ type: "Public" }, { type: "Private" }],
                },
                { parent: this },
            );
            this.vpcId = this.vpc.vpcId;
            this.publicSubnetIds = this.vpc.publicSubnetIds;
            this.privateSubnetIds = this.vpc.privateSubnetIds;
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}

/** Subnets of an existing VPC: two at least, for two AZs. */
const subnetIds: Rule<readonly string[]> = (value) =>
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((id) => typeof id === "string" && /^subnet-[0-9a-f]{8,17}$/.test(id))
        ? { value: value as readonly string[] }
        : { refused: "expected a list of at least two subnet ids (two AZs) like subnet-0123abcd" };

/** What the subnet lists allow; networkProblems checks them against vpcId. */
export const networkRules = { publicSubnetIds: subnetIds, privateSubnetIds: subnetIds } as const;

/** The subnet lists go with an existing VPC, and only with one. */
export function networkProblems(args: NetworkArgs): Problem[] {
    return (["publicSubnetIds", "privateSubnetIds"] as const).flatMap((key): Problem[] => {
        if (args.vpcId !== undefined && args[key] === undefined) {
            return [
                {
                    key,
                    value: undefined,
                    message: `is required when vpcId is set: list at least two subnets of ${args.vpcId} in different AZs`,
                },
            ];
        }
        if (args.vpcId === undefined && args[key] !== undefined) {
            return [
                {
                    key,
                    value: args[key],
                    message: "is only used with an existing VPC: set vpcId too, or remove it to create a new VPC",
                },
            ];
        }
        return [];
    });
}
