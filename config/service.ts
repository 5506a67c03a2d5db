// `graviton-multiarch:service`: the two Fargate services, their load balancer, HTTPS and Fargate Spot.
import { z } from "zod";
import {
    fargateServicePairDefaults,
    fargateServicePairProblems,
    fargateServicePairRules,
} from "../components/fargateServicePair";
import { between, bool, int, regionProblems, retentionDays, setting, text } from "./values";

/** A DNS name (`service.domainName`, `service.publicHostname`); the bootstrap reads domains in the same shape. */
export const domainNameShape = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const domainNameError = "expected a lower-case DNS name like app.example.com";
/** A Route 53 hosted zone id (`service.hostedZoneId`); the bootstrap reads the same shape. */
export const hostedZoneIdShape = /^Z[A-Z0-9]{1,31}$/;
export const hostedZoneIdError = "expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ";

const rules = fargateServicePairRules;
const defaults = fargateServicePairDefaults;

export const serviceSchema = z
    .strictObject({
        cpu: setting(rules.cpu).default(defaults.cpu),
        memory: setting(rules.memory).default(defaults.memory),
        x86DesiredCount: setting(rules.x86DesiredCount).default(defaults.x86DesiredCount),
        armDesiredCount: setting(rules.armDesiredCount).default(defaults.armDesiredCount),
        maxCountPerArch: setting(rules.maxCountPerArch).default(defaults.maxCountPerArch),
        armTrafficPercent: setting(rules.armTrafficPercent).default(defaults.armTrafficPercent),
        scaleOnCpuPercent: int(10, 90).default(defaults.scaleOnCpuPercent),
        containerPort: int(1024, 65535).default(defaults.containerPort),
        listenerPort: int(1, 65535).default(defaults.listenerPort),
        logRetentionDays: retentionDays().default(defaults.logRetentionDays),
        containerInsights: bool().default(defaults.containerInsights),
        certificateArn: text(
            /^arn:aws:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
            "expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        ).optional(),
        // The host the certificate covers: the ALB's own name is never one (docs/platform-facts.md, "HTTPS on the
        // load balancer").
        publicHostname: text(domainNameShape, domainNameError).optional(),
        domainName: text(domainNameShape, domainNameError).optional(),
        hostedZoneId: text(hostedZoneIdShape, hostedZoneIdError).optional(),
        armSpot: bool().default(defaults.armSpot),
        armSpotOnDemandBase: setting(rules.armSpotOnDemandBase).default(defaults.armSpotOnDemandBase),
    })
    .superRefine(between(fargateServicePairProblems));

/**
 * An ALB listener can only use a certificate of its own region: ACM certificates are regional and cannot be copied
 * between regions (docs/platform-facts.md, "HTTPS on the load balancer").
 */
export function certificateRegionProblems(
    prefix: string,
    certificateArn: string | undefined,
    region: string | undefined,
): string[] {
    return regionProblems(
        `${prefix}service.certificateArn`,
        certificateArn,
        region,
        (certificateRegion) =>
            `the certificate is in ${certificateRegion}, but the stack's load balancer is in aws:region ${region}; request or import the certificate in ${region}`,
    );
}
