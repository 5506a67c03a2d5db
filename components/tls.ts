// HTTPS for the load balancer: an existing ACM certificate, or one requested for a domain of a Route 53 zone the stack
// owns, validated by DNS, with an alias record pointing the name at the load balancer.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { httpsPort } from "./loadBalancer";

/** What HTTPS takes: nothing (plain HTTP), a certificate ARN, or a domain and its hosted zone. */
export interface TlsArgs {
    /** An existing ACM certificate in the stack's region: HTTPS on 443, and HTTP only redirects. */
    readonly certificateArn?: string;
    /** A name to request a DNS-validated certificate for and point at the ALB, e.g. `app.example.com`. */
    readonly domainName?: string;
    /** The public Route 53 hosted zone holding `domainName`. */
    readonly hostedZoneId?: string;
}

export interface Tls {
    /** The certificate the HTTPS listener serves; undefined for plain HTTP. */
    readonly certificateArn?: pulumi.Output<string>;
    /** The name clients use, when the stack owns it. */
    readonly domainName?: string;
    /** Points `domainName` at the load balancer; undefined without a domain. */
    readonly pointAt?: (loadBalancer: aws.lb.LoadBalancer) => aws.route53.Record;
}

/** Throws, naming the argument, unless the arguments describe one of the three ways (none, ARN, domain + zone). */
export function checkTlsArgs(component: string, args: TlsArgs, listenerPort: number): void {
    if ((args.domainName === undefined) !== (args.hostedZoneId === undefined)) {
        throw new Error(`${component}: domainName and hostedZoneId go together; give both or neither`);
    }
    if (args.domainName !== undefined && args.certificateArn !== undefined) {
        throw new Error(
            `${component}: give certificateArn (an existing certificate) or domainName (request one), not both`,
        );
    }
    const https = args.certificateArn !== undefined || args.domainName !== undefined;
    if (https && listenerPort === httpsPort) {
        throw new Error(
            `${component}: listenerPort must not be ${httpsPort} with HTTPS: the HTTPS listener takes it and the HTTP listener redirects to it`,
        );
    }
}

/** The certificate (requested and validated first when a domain is given) and the DNS name for the listener. */
export function tlsFor(name: string, args: TlsArgs, parent: pulumi.Resource): Tls {
    if (args.domainName === undefined || args.hostedZoneId === undefined) {
        return { certificateArn: args.certificateArn === undefined ? undefined : pulumi.output(args.certificateArn) };
    }
    const domain = { domainName: args.domainName, hostedZoneId: args.hostedZoneId };
    return {
        certificateArn: dnsValidatedCertificate(name, domain, parent),
        domainName: domain.domainName,
        pointAt: (loadBalancer) => aliasRecord(name, domain, loadBalancer, parent),
    };
}

/** `https://<domain or ALB name>` with HTTPS; else `http://<ALB name>`, with the port unless it is 80. */
export function loadBalancerUrl(
    loadBalancer: aws.lb.LoadBalancer,
    listenerPort: number,
    tls: Tls,
): pulumi.Output<string> {
    if (tls.certificateArn !== undefined) {
        return tls.domainName === undefined
            ? pulumi.interpolate`https://${loadBalancer.dnsName}`
            : pulumi.output(`https://${tls.domainName}`);
    }
    const portSuffix = listenerPort === 80 ? "" : `:${listenerPort}`;
    return pulumi.interpolate`http://${loadBalancer.dnsName}${portSuffix}`;
}

type Domain = Required<Pick<TlsArgs, "domainName" | "hostedZoneId">>;

/**
 * A public ACM certificate for the domain, validated through the CNAME record ACM asks for; the ARN resolves once
 * ACM has issued it, so a listener using it is created only then (docs/platform-facts.md, "HTTPS on the load
 * balancer").
 */
function dnsValidatedCertificate(name: string, domain: Domain, parent: pulumi.Resource): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
        name,
        { domainName: domain.domainName, validationMethod: "DNS" },
        { parent },
    );
    // One name, so exactly one validation record.
    const option = certificate.domainValidationOptions[0];
    const record = new aws.route53.Record(
        `${name}-validation`,
        {
            zoneId: domain.hostedZoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            // A replacement certificate for the same name asks for the same record; taking it over avoids a clash.
            allowOverwrite: true,
        },
        { parent },
    );
    const validation = new aws.acm.CertificateValidation(
        name,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent },
    );
    return validation.certificateArn;
}

/** The domain as an alias of the load balancer, so the name follows the ALB's addresses as they change. */
function aliasRecord(name: string, domain: Domain, loadBalancer: aws.lb.LoadBalancer, parent: pulumi.Resource) {
    return new aws.route53.Record(
        name,
        {
            zoneId: domain.hostedZoneId,
            name: domain.domainName,
            type: "A",
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        { parent },
    );
}
