// `graviton-multiarch:network`: a new VPC, or an existing one with its subnets.
import { z } from "zod";
import { networkDefaults, networkProblems, networkRules } from "../components/network";
import { between, choice, fromRule, text } from "./values";

export const networkSchema = z
    .strictObject({
        vpcId: text(/^vpc-[0-9a-f]{8,17}$/, "expected a VPC id like vpc-0123abcd").optional(),
        publicSubnetIds: fromRule(networkRules.publicSubnetIds).optional(),
        privateSubnetIds: fromRule(networkRules.privateSubnetIds).optional(),
        cidrBlock: text(
            /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/,
            "expected an IPv4 CIDR block from /16 to /24, like 10.0.0.0/16",
        ).default(networkDefaults.cidrBlock),
        natGateways: choice(["Single", "OnePerAz"] as const).default(networkDefaults.natGateways),
    })
    .superRefine(between(networkProblems));
