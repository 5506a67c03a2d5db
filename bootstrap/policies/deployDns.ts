import { StackDomain } from "../config";
import { arn, Statement } from "./document";
import { createsTagged, StackScope, taggedForStack } from "./scope";

/** The record types the program writes: ACM's validation CNAME and the alias A record (components/tls.ts). */
export const recordTypes = ["A", "CNAME"];

/**
 * The names the program writes in the zone, as Route 53 normalizes them for its condition keys (lower case, no final
 * dot): the domain itself and ACM's validation record `_<token>.<domain>` (docs/platform-facts.md, "HTTPS by
 * domain").
 */
export function recordNames(domain: StackDomain): string[] {
    return [domain.domainName, `_*.${domain.domainName}`];
}

/**
 * ACM for a stack with `service.domainName`: requesting a DNS-validated certificate for that one name, with the
 * stack's tags, then reading, tagging and deleting only certificates that carry them (docs/platform-facts.md,
 * "HTTPS by domain").
 */
export function certificateStatements(scope: StackScope, domain: StackDomain): Statement[] {
    const certificate = arn(scope, "acm", "certificate/*");
    const request = createsTagged(scope, {
        "aws:RequestedRegion": scope.region,
        "acm:ValidationMethod": "DNS",
    });
    return [
        {
            // RequestCertificate takes no resource scope; its request keys name the domains and the validation.
            Sid: "AcmRequestForTheDomain",
            Effect: "Allow",
            Action: ["acm:RequestCertificate"],
            Resource: ["*"],
            Condition: {
                ...request,
                "ForAllValues:StringEquals": { "acm:DomainNames": [domain.domainName] },
                Null: { "acm:DomainNames": "false" },
            },
        },
        {
            // ACM has no key telling a tag-on-request check from tagging an existing certificate.
            Sid: "AcmTagOnRequest",
            Effect: "Allow",
            Action: ["acm:AddTagsToCertificate"],
            Resource: [certificate],
            Condition: createsTagged(scope),
        },
        {
            Sid: "AcmCertificatesOfTheStack",
            Effect: "Allow",
            Action: [
                "acm:AddTagsToCertificate",
                "acm:DeleteCertificate",
                "acm:DescribeCertificate",
                "acm:ListTagsForCertificate",
                "acm:RemoveTagsFromCertificate",
            ],
            Resource: [certificate],
            Condition: taggedForStack(scope),
        },
    ];
}

/**
 * Route 53 for the same stack: the one configured hosted zone, and in it only the domain's A record and ACM's
 * validation CNAME. A hosted zone carries no tags of the stack, so the zone's id is the scope
 * (docs/platform-facts.md, "HTTPS by domain").
 */
export function dnsStatements(scope: StackScope, domain: StackDomain): Statement[] {
    const zone = arn(scope, "route53", `hostedzone/${domain.hostedZoneId}`);
    return [
        {
            Sid: "Route53ReadTheZone",
            Effect: "Allow",
            Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"],
            Resource: [zone],
        },
        {
            Sid: "Route53RecordsOfTheDomain",
            Effect: "Allow",
            Action: ["route53:ChangeResourceRecordSets"],
            Resource: [zone],
            Condition: {
                "ForAllValues:StringLike": {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": recordNames(domain),
                },
                "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": recordTypes },
                Null: {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": "false",
                    "route53:ChangeResourceRecordSetsRecordTypes": "false",
                },
            },
        },
        {
            // The provider waits for each change to be INSYNC; change ids are Route 53's, known only once made.
            Sid: "Route53Changes",
            Effect: "Allow",
            Action: ["route53:GetChange"],
            Resource: [arn(scope, "route53", "change/*")],
        },
    ];
}
