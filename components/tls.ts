// HTTPS for the load balancer: an existing ACM certificate, or one requested for a domain of a Route 53 zone the stack
// owns, validated by DNS, with an alias record pointing the name at the load balancer.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { httpsPort } from "./loadBalancer";
import { Problem } from "./rules";

/** What HTTPS takes: nothing (plain HTTP), a certificate ARN, or a domain and its hosted zone. */
export interface TlsArgs {
    /** An existing ACM certificate in the stack's region: HTTPS on 443, and HTTP only redirects. */
    readonly certificateArn?: string;
    /** A name to request a DNS-validated certificate for and point at the ALB, e.g. `app.example.com`. */
    readonly domainName?: string;
    /** The public Route 53 hosted zone holding `domainName`. */
    readonly hostedZoneId?: string;
    /**
     * With `certificateArn`: the name the certificate covers, which the team points at the ALB itself; the URL
     * names it, since no certificate covers the ALB's own name (docs/platform-facts.md, "HTTPS on the load balancer").
     */
    readonly publicHostname?: string;
}

export interface Tls {
    /** The certificate the HTTPS listener serves; undefined for plain HTTP. */
    readonly certificateArn?: pulumi.Output<string>;
    /** The name clients use: the stack's own domain, or the public hostname given with a certificate. */
    readonly domainName?: string;
    /** Points `domainName` at the load balancer; undefined without a domain. */
    readonly pointAt?: (loadBalancer: aws.lb.LoadBalancer) => aws.route53.Record;
}

/**
 * What is wrong with the arguments unless they describe one of the three ways (none, ARN, domain + zone), each
 * problem naming the argument to change.
 */
export function tlsProblems(args: TlsArgs & { readonly listenerPort: number }): Problem[] {
    const problems: Problem[] = [];
    for (const [key, other] of [
        ["domainName", "hostedZoneId"],
        ["hostedZoneId", "domainName"],
    ] as const) {
        if (args[key] !== undefined && args[other] === undefined) {
            problems.push({
                key: other,
                value: undefined,
                message: `is required when ${key} is set: a certificate is requested for domainName and validated in the hostedZoneId zone`,
            });
        }
    }
    if (args.domainName !== undefined && args.certificateArn !== undefined) {
        problems.push({
            key: "certificateArn",
            value: args.certificateArn,
            message:
                "cannot be set together with domainName: use an existing certificate, or have one requested for domainName, not both",
        });
    }
    if (args.publicHostname !== undefined && args.certificateArn === undefined) {
        problems.push({
            key: "publicHostname",
            value: args.publicHostname,
            message:
                args.domainName === undefined
                    ? "is the host a certificate of your own covers: set certificateArn too, or remove publicHostname"
                    : "cannot be set together with domainName: the URL then names domainName, which the requested certificate covers",
        });
    }
    const https = args.certificateArn !== undefined || args.domainName !== undefined;
    if (https && args.listenerPort === httpsPort) {
        problems.push({
            key: "listenerPort",
            value: args.listenerPort,
            message: `must not be ${httpsPort} with HTTPS: the HTTPS listener takes port ${httpsPort} and the HTTP listener (80 by default) only redirects to it`,
        });
    }
    return problems;
}

/** The certificate (requested and validated first when a domain is given) and the DNS name for the listener. */
export function tlsFor(name: string, args: TlsArgs, parent: pulumi.Resource): Tls {
    if (args.domainName === undefined || args.hostedZoneId === undefined) {
        return args.certificateArn === undefined
            ? {}
            : { certificateArn: pulumi.output(args.certificateArn), domainName: args.publicHostname };
    }
    const domain = { domainName: args.domainName, hostedZoneId: args.hostedZoneId };
    return {
        certificateArn: dnsValidatedCertificate(name, domain, parent),
        domainName: domain.domainName,
        pointAt: (loadBalancer) => aliasRecord(name, domain, loadBalancer, parent),
    };
}

/**
 * `https://<domain or public hostname>` with HTTPS (`https://<ALB name>` only when a certificate came without its
 * hostname: see unnamedCertificateWarning); else `http://<ALB name>`, with the port unless it is 80.
 */
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

/**
 * Why the ALB has no URL to export: a certificate of the team's own without the hostname it covers. The ALB's own
 * name is AWS's, under elb.amazonaws.com, and no certificate the team can get covers it, so every TLS client would
 * refuse `https://<ALB name>` (docs/platform-facts.md, "HTTPS on the load balancer"). Undefined when there is a URL.
 */
export function unnamedCertificateWarning(args: TlsArgs, configPrefix = ""): string | undefined {
    if (args.certificateArn === undefined || args.publicHostname !== undefined) {
        return undefined;
    }
    return [
        `${configPrefix}service.certificateArn is set without ${configPrefix}service.publicHostname, so albUrl is null:`,
        "the certificate cannot cover the load balancer's own elb.amazonaws.com name, and TLS clients refuse it.",
        "Point a name the certificate covers at the load balancer (a CNAME or alias to its DNS name), then",
        "`pulumi config set --path service.publicHostname <that name>`.",
    ].join(" ");
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
