import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ProgramRun, runProgram, stackRun } from "./harness";

type ListenerInputs = pulumi.Unwrap<aws.lb.ListenerArgs>;
type ListenerRuleInputs = pulumi.Unwrap<aws.lb.ListenerRuleArgs>;
type IngressInputs = pulumi.Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>;
type RecordInputs = pulumi.Unwrap<aws.route53.RecordArgs>;

const ns = "graviton-multiarch";
const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

/** Runs the program and returns the run with the warnings it logged. */
async function runLoggingWarnings(stack: string, config: Record<string, unknown>) {
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = async (message: string) => void warnings.push(message);
    try {
        return { run: await runProgram(stack, { config }), warnings };
    } finally {
        pulumi.log.warn = original;
    }
}

function listenerOn(run: ProgramRun, port: number) {
    const matches = run.ofType<ListenerInputs>("aws:lb/listener:Listener").filter((l) => l.inputs.port === port);
    assert.strictEqual(matches.length, 1, `expected one listener on port ${port}`);
    return matches[0];
}

function targetGroupArns(run: ProgramRun): string[] {
    return run.ofType("aws:lb/targetGroup:TargetGroup").map((group) => group.state.arn as string);
}

function internetPorts(run: ProgramRun): number[] {
    return run
        .ofType<IngressInputs>("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((rule) => rule.inputs.cidrIpv4 === "0.0.0.0/0")
        .map((rule) => rule.inputs.fromPort as number)
        .sort((a, b) => a - b);
}

describe("HTTPS on the load balancer", () => {
    describe("prod with an existing certificate (service.certificateArn)", () => {
        let run: ProgramRun;
        let warnings: string[];
        before(async () => {
            ({ run, warnings } = await runLoggingWarnings("prod", {
                [`${ns}:service.certificateArn`]: certificateArn,
            }));
        });

        it("serves HTTPS on 443 with that certificate and a TLS 1.3 policy, forwarding by weight", () => {
            const https = listenerOn(run, 443);
            assert.strictEqual(https.inputs.protocol, "HTTPS");
            assert.strictEqual(https.inputs.certificateArn, certificateArn);
            assert.strictEqual(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
            const [x86, arm] = targetGroupArns(run);
            assert.deepStrictEqual(https.inputs.defaultActions[0].forward?.targetGroups, [
                { arn: x86, weight: 50 },
                { arn: arm, weight: 50 },
            ]);
        });

        it("answers plain HTTP on 80 with nothing but a 301 to HTTPS", () => {
            const http = listenerOn(run, 80);
            assert.strictEqual(http.inputs.protocol, "HTTP");
            assert.deepStrictEqual(http.inputs.defaultActions, [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ]);
            assert.strictEqual(run.ofType("aws:lb/listener:Listener").length, 2);
        });

        // Turning HTTPS on updates the plain listener into the redirect; the engine orders steps by dependencies, so
        // the redirect waits for what answers on 443 (with a domain, that is after the certificate is issued).
        it("turns plain HTTP into the redirect only after the HTTPS listener, its rules and port 443 exist", () => {
            const http = listenerOn(run, 80);
            // Resources carry their type and name at run time (sdk/nodejs/resource.ts, __pulumiType and __name).
            const waitsFor = ([] as unknown[])
                .concat(http.options.dependsOn ?? [])
                .map((resource) => {
                    const { __pulumiType, __name } = resource as { __pulumiType?: string; __name?: string };
                    return `${__pulumiType} ${__name}`;
                })
                .sort();
            assert.deepStrictEqual(waitsFor, [
                "aws:lb/listener:Listener web-https",
                "aws:lb/listenerRule:ListenerRule web-pin-arm",
                "aws:lb/listenerRule:ListenerRule web-pin-x86",
                "aws:lb/listenerRule:ListenerRule web-share",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule web-alb-from-internet",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule web-alb-https-from-internet",
            ]);
        });

        it("keeps the x-target-arch rules and the configured-share rule on the HTTPS listener", () => {
            const httpsArn = listenerOn(run, 443).state.arn;
            const rules = run.ofType<ListenerRuleInputs>("aws:lb/listenerRule:ListenerRule");
            assert.deepStrictEqual(rules.map((rule) => rule.name).sort(), ["web-pin-arm", "web-pin-x86", "web-share"]);
            for (const rule of rules) {
                assert.strictEqual(rule.inputs.listenerArn, httpsArn);
            }
        });

        it("opens the ALB to the internet on 80 (for the redirect) and 443 only", () => {
            assert.deepStrictEqual(internetPorts(run), [80, 443]);
        });

        it("exports no URL without the hostname the certificate covers, and warns how to give it", () => {
            // https://<ALB name> would name a host under elb.amazonaws.com, which no certificate of the team covers.
            assert.strictEqual(run.outputs.albUrl, null);
            assert.strictEqual(run.outputs.albCertificateArn, certificateArn);
            assert.deepStrictEqual(warnings, [
                "graviton-multiarch:service.certificateArn is set without graviton-multiarch:service.publicHostname, so albUrl is null: the certificate cannot cover the load balancer's own elb.amazonaws.com name, and TLS clients refuse it. Point a name the certificate covers at the load balancer (a CNAME or alias to its DNS name), then `pulumi config set --path service.publicHostname <that name>`.",
            ]);
        });
    });

    describe("prod with an existing certificate and the hostname it covers (service.publicHostname)", () => {
        let run: ProgramRun;
        let warnings: string[];
        before(async () => {
            ({ run, warnings } = await runLoggingWarnings("prod", {
                [`${ns}:service.certificateArn`]: certificateArn,
                [`${ns}:service.publicHostname`]: "app.example.com",
            }));
        });

        it("exports https://<that hostname>, without a warning", () => {
            assert.strictEqual(run.outputs.albUrl, "https://app.example.com");
            assert.strictEqual(run.outputs.albCertificateArn, certificateArn);
            assert.deepStrictEqual(warnings, []);
        });

        it("serves the certificate as without the hostname, and creates no DNS record: the team points the name", () => {
            assert.strictEqual(listenerOn(run, 443).inputs.certificateArn, certificateArn);
            assert.deepStrictEqual(run.ofType("aws:route53/record:Record"), []);
            assert.deepStrictEqual(run.ofType("aws:acm/certificate:Certificate"), []);
        });
    });

    describe("without a certificate (both stack files)", () => {
        for (const stack of ["dev", "prod"]) {
            it(`${stack}: one HTTP listener that forwards, port 80 open, an http:// URL and no certificate`, async () => {
                const run = await stackRun(stack);
                const http = listenerOn(run, 80);
                assert.strictEqual(http.inputs.protocol, "HTTP");
                assert.strictEqual(http.inputs.defaultActions[0].type, "forward");
                assert.strictEqual(run.ofType("aws:lb/listener:Listener").length, 1);
                assert.deepStrictEqual(internetPorts(run), [80]);
                assert.match(run.outputs.albUrl as string, /^http:\/\//);
                assert.strictEqual(run.outputs.albCertificateArn, null);
                assert.deepStrictEqual(run.ofType("aws:acm/certificate:Certificate"), []);
            });
        }
    });

    describe("dev with a domain of its own (service.domainName + service.hostedZoneId)", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram("dev", {
                config: {
                    [`${ns}:service.domainName`]: "app.example.com",
                    [`${ns}:service.hostedZoneId`]: "Z0EXAMPLE",
                },
            });
        });

        it("requests a DNS-validated certificate and writes the record ACM asks for into the zone", () => {
            const certificate = run.one("aws:acm/certificate:Certificate");
            assert.deepStrictEqual(
                [certificate.inputs.domainName, certificate.inputs.validationMethod],
                ["app.example.com", "DNS"],
            );
            const [option] = certificate.state.domainValidationOptions as Record<string, string>[];
            const validationRecord = run
                .ofType<RecordInputs>("aws:route53/record:Record")
                .find((record) => record.inputs.type === "CNAME");
            assert.ok(validationRecord);
            assert.deepStrictEqual(
                [validationRecord.inputs.zoneId, validationRecord.inputs.name, validationRecord.inputs.records],
                ["Z0EXAMPLE", option.resourceRecordName, [option.resourceRecordValue]],
            );
            const validation = run.one("aws:acm/certificateValidation:CertificateValidation");
            assert.strictEqual(validation.inputs.certificateArn, certificate.state.arn);
            assert.deepStrictEqual(validation.inputs.validationRecordFqdns, [validationRecord.state.fqdn]);
        });

        it("serves the validated certificate on 443 and points the name at the load balancer", () => {
            const certificate = run.one("aws:acm/certificate:Certificate");
            assert.strictEqual(listenerOn(run, 443).inputs.certificateArn, certificate.state.arn);
            const loadBalancer = run.one("aws:lb/loadBalancer:LoadBalancer");
            const alias = run
                .ofType<RecordInputs>("aws:route53/record:Record")
                .find((record) => record.inputs.type === "A");
            assert.ok(alias);
            assert.deepStrictEqual(
                [alias.inputs.zoneId, alias.inputs.name, alias.inputs.aliases],
                [
                    "Z0EXAMPLE",
                    "app.example.com",
                    [
                        {
                            name: loadBalancer.state.dnsName,
                            zoneId: loadBalancer.state.zoneId,
                            evaluateTargetHealth: true,
                        },
                    ],
                ],
            );
            assert.strictEqual(run.outputs.albUrl, "https://app.example.com");
        });
    });
});
