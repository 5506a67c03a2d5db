// `npm run verify` on how the deployment serves traffic: listeners, the ARM service's placement and Express Mode,
// against mocked AWS answers shaped as DescribeListeners, DescribeServices and DescribeExpressGatewayService return
// them (ELBv2 and ECS API references; @aws-sdk/client-ecs 3.1162.0, @aws-sdk/client-elastic-load-balancing-v2).
import * as assert from "assert";
import {
    DescribeExpressGatewayServiceCommand,
    DescribeServicesCommand,
    ECSClient,
    ECSExpressGatewayService,
    Service,
} from "@aws-sdk/client-ecs";
import {
    DescribeListenersCommand,
    ElasticLoadBalancingV2Client,
    Listener,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";

import { Check, checkArmPlacement, checkExpressService, checkListeners, parseStackOutputs } from "../commands/verify";
import { everyRuntimeRun, stackRun } from "./harness";

const elbv2Mock = mockClient(ElasticLoadBalancingV2Client);
const ecsMock = mockClient(ECSClient);
const elbv2 = new ElasticLoadBalancingV2Client({ region: "us-east-1" });
const ecs = new ECSClient({ region: "us-east-1" });

const account = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
const loadBalancerArn = `${account}:loadbalancer/app/web-1234567/50dc6c495c0c9188`;
const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const amd64Ref = `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${"a".repeat(64)}`;
const indexRef = `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${"b".repeat(64)}`;

/** The weighted forward as DescribeListeners shows it. */
const forward = {
    Type: "forward" as const,
    ForwardConfig: {
        TargetGroups: [
            { TargetGroupArn: `${account}:targetgroup/web-x86/1`, Weight: 50 },
            { TargetGroupArn: `${account}:targetgroup/web-arm/2`, Weight: 50 },
        ],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
    },
};
/** The redirect as DescribeListeners shows it: the defaults ELB fills in for host, path and query included. */
const redirect = {
    Type: "redirect" as const,
    RedirectConfig: {
        Protocol: "HTTPS",
        Port: "443",
        Host: "#{host}",
        Path: "/#{path}",
        Query: "#{query}",
        StatusCode: "HTTP_301" as const,
    },
};
const httpsListener: Listener = {
    ListenerArn: `${account}:listener/app/web-1234567/50dc6c495c0c9188/aaa`,
    LoadBalancerArn: loadBalancerArn,
    Port: 443,
    Protocol: "HTTPS",
    SslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    Certificates: [{ CertificateArn: certificateArn }],
    DefaultActions: [forward],
};
const redirectListener: Listener = {
    ListenerArn: `${account}:listener/app/web-1234567/50dc6c495c0c9188/bbb`,
    LoadBalancerArn: loadBalancerArn,
    Port: 80,
    Protocol: "HTTP",
    DefaultActions: [redirect],
};

const failed = (checks: readonly Check[]) => checks.filter((check) => !check.ok).map((check) => check.detail);

describe("verify: how the deployment serves traffic (mocked AWS)", () => {
    beforeEach(() => {
        elbv2Mock.reset();
        ecsMock.reset();
    });

    describe("the ALB's listeners", () => {
        it("passes HTTPS on 443 with the certificate and TLS 1.3 policy, and port 80 only redirecting", async () => {
            elbv2Mock.on(DescribeListenersCommand, { LoadBalancerArn: loadBalancerArn }).resolves({
                Listeners: [redirectListener, httpsListener],
            });
            const checks = await checkListeners(elbv2, loadBalancerArn, certificateArn);
            assert.deepStrictEqual(
                checks.map((check) => [check.name, check.ok]),
                [
                    ["ALB HTTPS listener", true],
                    ["ALB HTTP listener", true],
                ],
            );
        });

        it("follows DescribeListeners' pages", async () => {
            elbv2Mock
                .on(DescribeListenersCommand, { LoadBalancerArn: loadBalancerArn, Marker: undefined })
                .resolves({ Listeners: [redirectListener], NextMarker: "page-2" })
                .on(DescribeListenersCommand, { LoadBalancerArn: loadBalancerArn, Marker: "page-2" })
                .resolves({ Listeners: [httpsListener] });
            assert.deepStrictEqual(failed(await checkListeners(elbv2, loadBalancerArn, certificateArn)), []);
        });

        it("fails another policy, another certificate, and a port 80 that still forwards", async () => {
            elbv2Mock.on(DescribeListenersCommand).resolves({
                Listeners: [
                    { ...redirectListener, DefaultActions: [forward] },
                    {
                        ...httpsListener,
                        SslPolicy: "ELBSecurityPolicy-2016-08",
                        Certificates: [{ CertificateArn: certificateArn.replace("0f1e", "9999") }],
                    },
                ],
            });
            const problems = failed(await checkListeners(elbv2, loadBalancerArn, certificateArn));
            assert.strictEqual(problems.length, 2);
            assert.match(
                problems[0],
                /security policy is ELBSecurityPolicy-2016-08, expected ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09/,
            );
            assert.match(problems[0], /serves \[arn:aws:acm:us-east-1:123456789012:certificate\/9999/);
            assert.strictEqual(problems[1], "HTTP:80 does more than redirect to HTTPS with a 301");
        });

        it("fails a stack with a certificate whose ALB has no HTTPS listener", async () => {
            elbv2Mock
                .on(DescribeListenersCommand)
                .resolves({ Listeners: [{ ...redirectListener, DefaultActions: [forward] }] });
            assert.match(
                failed(await checkListeners(elbv2, loadBalancerArn, certificateArn))[0],
                /expected one HTTPS listener on 443, found none/,
            );
        });

        it("passes plain HTTP that forwards when the stack has no certificate, and fails a leftover HTTPS listener", async () => {
            elbv2Mock
                .on(DescribeListenersCommand)
                .resolves({ Listeners: [{ ...redirectListener, DefaultActions: [forward] }] });
            assert.deepStrictEqual(failed(await checkListeners(elbv2, loadBalancerArn, undefined)), []);
            elbv2Mock
                .on(DescribeListenersCommand)
                .resolves({ Listeners: [{ ...redirectListener, DefaultActions: [forward] }, httpsListener] });
            assert.match(
                failed(await checkListeners(elbv2, loadBalancerArn, undefined))[0],
                /no HTTPS one; found HTTP:80, HTTPS:443/,
            );
        });
    });

    describe("where the ARM service runs", () => {
        const spotService: Service = {
            serviceName: "web-arm-1234567",
            // DescribeServices reports the base even where the request left it out.
            capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
            platformVersion: "LATEST",
        };

        it("passes the Fargate Spot strategy the stack exported, with no launch type beside it", async () => {
            ecsMock
                .on(DescribeServicesCommand, { cluster: "web", services: ["web-arm-1234567"] })
                .resolves({ services: [spotService] });
            const [check] = await checkArmPlacement(ecs, "web", "web-arm-1234567", [
                { capacityProvider: "FARGATE_SPOT", weight: 1 },
            ]);
            assert.deepStrictEqual(
                [check.ok, check.detail],
                [true, "strategy [FARGATE_SPOT base 0 weight 1], platform LATEST"],
            );
        });

        it("fails a service still on the launch type, or on a platform version too old for ARM64 on Spot", async () => {
            ecsMock.on(DescribeServicesCommand).resolves({
                services: [{ serviceName: "web-arm-1234567", launchType: "FARGATE", platformVersion: "LATEST" }],
            });
            const expected = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
            assert.match(
                failed(await checkArmPlacement(ecs, "web", "web-arm-1234567", expected))[0],
                /strategy is \[\], the stack exported .*; launch type FARGATE is set beside the strategy/,
            );
            ecsMock.on(DescribeServicesCommand).resolves({ services: [{ ...spotService, platformVersion: "1.3.0" }] });
            assert.match(
                failed(await checkArmPlacement(ecs, "web", "web-arm-1234567", expected))[0],
                /platform version 1\.3\.0: Fargate Spot takes ARM64 tasks from 1\.4\.0 on/,
            );
        });

        it("expects the FARGATE launch type when the stack exported no strategy", async () => {
            ecsMock
                .on(DescribeServicesCommand)
                .resolves({ services: [{ serviceName: "web-arm-1234567", launchType: "FARGATE" }] });
            assert.deepStrictEqual(failed(await checkArmPlacement(ecs, "web", "web-arm-1234567", null)), []);
            ecsMock.on(DescribeServicesCommand).resolves({ services: [spotService] });
            assert.match(
                failed(await checkArmPlacement(ecs, "web", "web-arm-1234567", null))[0],
                /expected the FARGATE launch type; launch type \(none\), strategy \[FARGATE_SPOT base 0 weight 1\]/,
            );
        });
    });

    describe("the Express Mode service", () => {
        const serviceArn = "arn:aws:ecs:us-east-1:123456789012:service/web/express-1234567";
        const healthy: ECSExpressGatewayService = {
            serviceArn,
            status: { statusCode: "ACTIVE" },
            activeConfigurations: [
                {
                    serviceRevisionArn: `${serviceArn}/rev-1`,
                    cpuArchitecture: "X86_64",
                    healthCheckPath: "/healthz",
                    primaryContainer: { image: amd64Ref },
                },
            ],
        };

        it("passes an active service running the amd64 child on X86_64", async () => {
            ecsMock.on(DescribeExpressGatewayServiceCommand, { serviceArn }).resolves({ service: healthy });
            assert.deepStrictEqual(failed(await checkExpressService(ecs, serviceArn, amd64Ref)), []);
        });

        it("fails a revision on the index or on ARM64, and a draining service", async () => {
            ecsMock.on(DescribeExpressGatewayServiceCommand).resolves({
                service: {
                    ...healthy,
                    status: { statusCode: "DRAINING", statusReason: "deleting" },
                    activeConfigurations: [
                        {
                            ...healthy.activeConfigurations![0],
                            cpuArchitecture: "ARM64",
                            primaryContainer: { image: indexRef },
                        },
                    ],
                },
            });
            const [problem] = failed(await checkExpressService(ecs, serviceArn, amd64Ref));
            assert.match(
                problem,
                /^status DRAINING: deleting; rev-1 runs .*@sha256:b{64}, expected amd64Ref .*; rev-1 runs on ARM64, expected X86_64$/,
            );
        });
    });

    it("reads the outputs these checks need, and leaves them out where the stack has none", () => {
        const base = {
            region: "us-east-1",
            repositoryUrl: "r",
            imageTag: "t",
            indexRef,
            amd64Ref,
            arm64Ref: amd64Ref,
            lambdaFunctionName: "fn",
            clusterName: "web",
            serviceNames: { x86: "a", arm64: "b" },
        };
        const full = parseStackOutputs({
            ...base,
            loadBalancerArn,
            albCertificateArn: certificateArn,
            armCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
            expressServiceArn: "arn:aws:ecs:us-east-1:123456789012:service/web/express",
        });
        assert.deepStrictEqual(
            [full.loadBalancerArn, full.albCertificateArn, full.armCapacityProviderStrategy, full.expressServiceArn],
            [
                loadBalancerArn,
                certificateArn,
                [{ capacityProvider: "FARGATE_SPOT", base: undefined, weight: 1 }],
                "arn:aws:ecs:us-east-1:123456789012:service/web/express",
            ],
        );
        const off = parseStackOutputs({
            ...base,
            albCertificateArn: null,
            armCapacityProviderStrategy: null,
            expressServiceArn: null,
        });
        assert.deepStrictEqual(
            [off.albCertificateArn, off.armCapacityProviderStrategy, off.expressServiceArn],
            [undefined, null, undefined],
        );
        assert.strictEqual(parseStackOutputs(base).armCapacityProviderStrategy, undefined);
        assert.throws(
            () => parseStackOutputs({ ...base, armCapacityProviderStrategy: "FARGATE_SPOT" }),
            /stack output "armCapacityProviderStrategy" must be null or a list/,
        );
    });

    it("reads what the program exports: dev's Spot strategy and ALB, prod's on-demand strategy, Express when on", async () => {
        const dev = parseStackOutputs((await stackRun("dev")).outputs);
        assert.deepStrictEqual(dev.armCapacityProviderStrategy, [
            { capacityProvider: "FARGATE_SPOT", base: undefined, weight: 1 },
        ]);
        assert.match(
            dev.loadBalancerArn ?? "",
            /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\//,
        );
        assert.deepStrictEqual([dev.albCertificateArn, dev.expressServiceArn], [undefined, undefined]);
        const prod = parseStackOutputs((await everyRuntimeRun("prod")).outputs);
        assert.deepStrictEqual(prod.armCapacityProviderStrategy, [
            { capacityProvider: "FARGATE", base: undefined, weight: 1 },
        ]);
        assert.match(prod.expressServiceArn ?? "", /^arn:aws:ecs:us-east-1:123456789012:service\//);
    });
});
