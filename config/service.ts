// `graviton-multiarch:service`: the two Fargate services, their load balancer, HTTPS and Fargate Spot.
import { z } from "zod";
import { fargateServicePairDefaults } from "../components/fargateServicePair";
import { httpsPort } from "../components/loadBalancer";
import { fargateMemoryByCpu } from "../components/sizing";
import { bool, fromConfigString, int, logRetentionDays, oneOf, text } from "./values";
/** A DNS name (`service.domainName`, `service.publicHostname`); the bootstrap reads domains in the same shape. */
export const domainNameShape = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const domainNameError = "expected a lower-case DNS name like app.example.com";
/** A Route 53 hosted zone id (`service.hostedZoneId`); the bootstrap reads the same shape. */
export const hostedZoneIdShape = /^Z[A-Z0-9]{1,31}$/;
export const hostedZoneIdError = "expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ";

export const serviceSchema = z
    .strictObject({
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(fargateMemoryByCpu).map(Number)))
            .default(fargateServicePairDefaults.cpu),
        memory: int(512, 122880).default(fargateServicePairDefaults.memory),
        x86DesiredCount: int(0, 100).default(fargateServicePairDefaults.x86DesiredCount),
        armDesiredCount: int(0, 100).default(fargateServicePairDefaults.armDesiredCount),
        maxCountPerArch: int(1, 100).default(fargateServicePairDefaults.maxCountPerArch),
        armTrafficPercent: int(0, 100).default(fargateServicePairDefaults.armTrafficPercent),
        scaleOnCpuPercent: int(10, 90).default(fargateServicePairDefaults.scaleOnCpuPercent),
        containerPort: int(1024, 65535).default(fargateServicePairDefaults.containerPort),
        listenerPort: int(1, 65535).default(fargateServicePairDefaults.listenerPort),
        logRetentionDays: z
            .preprocess(fromConfigString, oneOf(logRetentionDays))
            .default(fargateServicePairDefaults.logRetentionDays),
        containerInsights: bool().default(fargateServicePairDefaults.containerInsights),
        certificateArn: text(
            /^arn:aws:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
            "expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        ).optional(),
        // The host the certificate covers: the ALB's own name is never one (docs/platform-facts.md, "HTTPS on the
        // load balancer").
        publicHostname: text(domainNameShape, domainNameError).optional(),
        domainName: text(domainNameShape, domainNameError).optional(),
        hostedZoneId: text(hostedZoneIdShape, hostedZoneIdError).optional(),
        armSpot: bool().default(fargateServicePairDefaults.armSpot),
        armSpotOnDemandBase: int(0, 100).default(fargateServicePairDefaults.armSpotOnDemandBase),
    })
    .superRefine((service, ctx) => {
        for (const [key, other] of [
            ["domainName", "hostedZoneId"],
            ["hostedZoneId", "domainName"],
        ] as const) {
            if (service[key] !== undefined && service[other] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [other],
                    input: undefined,
                    message: `is required when ${key} is set: the program requests the certificate for domainName and validates it in the hostedZoneId zone`,
                });
            }
        }
        if (service.domainName !== undefined && service.certificateArn !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["certificateArn"],
                input: service.certificateArn,
                message:
                    "cannot be set together with domainName: use an existing certificate, or let the program request one for domainName, not both",
            });
        }
        if (service.publicHostname !== undefined && service.certificateArn === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["publicHostname"],
                input: service.publicHostname,
                message:
                    service.domainName === undefined
                        ? "is the host a certificate of your own covers: set certificateArn too, or remove publicHostname"
                        : "cannot be set together with domainName: albUrl then names domainName, the program's own certificate",
            });
        }
        const https = service.certificateArn !== undefined || service.domainName !== undefined;
        if (https && service.listenerPort === httpsPort) {
            ctx.addIssue({
                code: "custom",
                path: ["listenerPort"],
                input: service.listenerPort,
                message: `must not be ${httpsPort} with HTTPS: the HTTPS listener takes port ${httpsPort} and the HTTP listener (80 by default) only redirects to it`,
            });
        }
        if (!service.armSpot && service.armSpotOnDemandBase > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["armSpotOnDemandBase"],
                input: service.armSpotOnDemandBase,
                message: "is only used with armSpot: set service.armSpot to true, or remove armSpotOnDemandBase",
            });
        }
        const allowedMemory = fargateMemoryByCpu[service.cpu];
        if (allowedMemory && !allowedMemory.includes(service.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: service.memory,
                message: `Fargate has no task size with cpu ${service.cpu} and memory ${service.memory}; with cpu ${service.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
        for (const [countKey, count] of [
            ["x86DesiredCount", service.x86DesiredCount],
            ["armDesiredCount", service.armDesiredCount],
        ] as const) {
            if (count > service.maxCountPerArch) {
                ctx.addIssue({
                    code: "custom",
                    path: ["maxCountPerArch"],
                    input: service.maxCountPerArch,
                    message: `must be at least ${countKey} (${count}), or autoscaling would cap the service below its desired count`,
                });
            }
        }
        // A target group with weight but no tasks answers 503 to its share of requests.
        if (service.armTrafficPercent > 0 && service.armDesiredCount === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["armDesiredCount"],
                input: 0,
                message: `must be at least 1 while armTrafficPercent is ${service.armTrafficPercent}; set armTrafficPercent to 0 to run no ARM tasks`,
            });
        }
        if (service.armTrafficPercent < 100 && service.x86DesiredCount === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["x86DesiredCount"],
                input: 0,
                message: `must be at least 1 while armTrafficPercent is ${service.armTrafficPercent}; set armTrafficPercent to 100 to run no x86 tasks`,
            });
        }
    });
