import { ArnScope, arns, creates, ProviderCall, retags, untagged, uses } from "./callKinds";

/** A record name as Route 53 puts it in its condition keys: lower case, without the final dot. */
export function normalizedRecordName(name: string): string {
    return name.toLowerCase().replace(/\.$/, "");
}

/**
 * ACM and Route 53 calls of the HTTPS-by-domain resources (components/tls.ts); undefined for other types.
 * terraform-provider-aws: `internal/service/acm/certificate.go` (create: RequestCertificate with the tags, then
 * DescribeCertificate until the validation record is known; read: DescribeCertificate and ListTagsForCertificate;
 * delete: DeleteCertificate), `acm/certificate_validation.go` (DescribeCertificate until ISSUED, line 61; delete is
 * a no-op, line 33), `route53/record.go` (GetHostedZone for the zone's name, ChangeResourceRecordSets, GetChange
 * until INSYNC, ListResourceRecordSets to read and before the DELETE).
 */
export function dnsCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
): ProviderCall[] | undefined {
    const { regional } = arns(scope);
    switch (type) {
        case "aws:acm/certificate:Certificate": {
            const certificate = regional("acm", `certificate/${name}-0000-4000-8000-000000000001`);
            const names = [String(inputs.domainName), ...((inputs.subjectAlternativeNames as string[]) ?? [])];
            return [
                creates("acm:RequestCertificate", "*", {
                    "acm:ValidationMethod": String(inputs.validationMethod),
                    "acm:DomainNames": names,
                }),
                // Tags come with the request; ACM's reference names no tagging check for it, which the role allows.
                creates("acm:AddTagsToCertificate", certificate),
                ...["DescribeCertificate", "ListTagsForCertificate", "DeleteCertificate"].map((action) =>
                    uses(`acm:${action}`, certificate),
                ),
                ...retags("acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", certificate),
            ];
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            return [uses("acm:DescribeCertificate", String(inputs.certificateArn))];
        case "aws:route53/record:Record": {
            // A hosted zone carries no tags of the stack; its id in the ARN is what scopes these calls.
            const zone = `arn:aws:route53:::hostedzone/${String(inputs.zoneId)}`;
            const change = {
                "route53:ChangeResourceRecordSetsNormalizedRecordNames": [normalizedRecordName(String(inputs.name))],
                "route53:ChangeResourceRecordSetsRecordTypes": [String(inputs.type)],
            };
            return [
                untagged("route53:GetHostedZone", zone),
                untagged("route53:ChangeResourceRecordSets", zone, {
                    ...change,
                    "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
                }),
                untagged("route53:GetChange", "arn:aws:route53:::change/C0123456789ABCDEFGHIJ"),
                untagged("route53:ListResourceRecordSets", zone),
                untagged("route53:ChangeResourceRecordSets", zone, {
                    ...change,
                    "route53:ChangeResourceRecordSetsActions": ["DELETE"],
                }),
            ];
        }
        default:
            return undefined;
    }
}
