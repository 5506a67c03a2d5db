// `graviton-multiarch:network`: a new VPC, or an existing one with its subnets.
import { z } from "zod";
import { networkDefaults } from "../components/network";
import { choice, text } from "./values";

const subnetIdsError = "expected a list of at least two subnet ids like subnet-0123abcd";
const subnetIds = z
    .array(text(/^subnet-[0-9a-f]{8,17}$/, "expected subnet ids like subnet-0123abcd"), { error: subnetIdsError })
    .min(2, { error: subnetIdsError });

export const networkSchema = z
    .strictObject({
        vpcId: text(/^vpc-[0-9a-f]{8,17}$/, "expected a VPC id like vpc-0123abcd").optional(),
        publicSubnetIds: subnetIds.optional(),
        privateSubnetIds: subnetIds.optional(),
        cidrBlock: text(
            /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/,
            "expected an IPv4 CIDR block from /16 to /24, like 10.0.0.0/16",
        ).default(networkDefaults.cidrBlock),
        natGateways: choice(["Single", "OnePerAz"]).default(networkDefaults.natGateways),
    })
    .superRefine((network, ctx) => {
        const reused = network.vpcId !== undefined;
        for (const key of ["publicSubnetIds", "privateSubnetIds"] as const) {
            if (reused && network[key] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: undefined,
                    message: `is required when vpcId is set: list at least two subnets of ${network.vpcId} in different AZs`,
                });
            }
            if (!reused && network[key] !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: network[key],
                    message: "is only used with an existing VPC: set vpcId too, or remove it to create a new VPC",
                });
            }
        }
    });
