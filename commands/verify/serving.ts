/**
 * How the deployment serves its traffic, read back from AWS: the ALB's listeners (HTTPS with the certificate and TLS
 * policy, or plain HTTP), where the ARM service's tasks are placed (launch type or Fargate Spot strategy), and the
 * Express Mode service's image and architecture. Each takes its client, so tests run it against mocks.
 */
import { DescribeExpressGatewayServiceCommand, DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
    Action,
    DescribeListenersCommand,
    ElasticLoadBalancingV2Client,
    Listener,
} from "@aws-sdk/client-elastic-load-balancing-v2";

import { Check, fail, pass } from "./checks";
import { CapacityProviderStrategyItem } from "./outputs";
import { httpsPort, tlsSecurityPolicy } from "../../components/httpsPolicy";

const isWeightedForward = (action: Action) =>
    action.Type === "forward" && (action.ForwardConfig?.TargetGroups?.length ?? 0) === 2;

/** The redirect the HTTP listener must answer with when HTTPS is on: 301 to the same URL on 443. */
function isHttpsRedirect(actions: readonly Action[]): boolean {
    const [action] = actions;
    const redirect = action?.RedirectConfig;
    return (
        actions.length === 1 &&
        action.Type === "redirect" &&
        redirect?.Protocol === "HTTPS" &&
        redirect.Port === String(httpsPort) &&
        redirect.StatusCode === "HTTP_301"
    );
}

/**
 * With a certificate: one HTTPS listener on 443 serving exactly that certificate under the project's TLS 1.3 policy
 * and forwarding by weight to the two target groups, and every other listener only redirecting to it. Without one:
 * no HTTPS listener, and a plain HTTP one that forwards (docs/platform-facts.md, "HTTPS on the load balancer").
 */
export async function checkListeners(
    elbv2: Pick<ElasticLoadBalancingV2Client, "send">,
    loadBalancerArn: string,
    certificateArn: string | undefined,
): Promise<Check[]> {
    const listeners: Listener[] = [];
    let marker: string | undefined;
    do {
        const page = await elbv2.send(
            new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
        );
        listeners.push(...(page.Listeners ?? []));
        marker = page.NextMarker;
    } while (marker);
    const https = listeners.filter((listener) => listener.Protocol === "HTTPS");
    const others = listeners.filter((listener) => listener.Protocol !== "HTTPS");
    const describe = (listener: Listener) => `${listener.Protocol ?? "?"}:${listener.Port ?? "?"}`;

    if (certificateArn === undefined) {
        const forwarding = others.filter((listener) => (listener.DefaultActions ?? []).some(isWeightedForward));
        return [
            https.length === 0 && forwarding.length === 1
                ? pass("ALB listeners", `plain HTTP on ${forwarding[0].Port}, forwarding to both target groups`)
                : fail(
                      "ALB listeners",
                      `expected one HTTP listener forwarding by weight and no HTTPS one; found ${listeners.map(describe).join(", ") || "none"}`,
                  ),
        ];
    }
    const checks: Check[] = [];
    const served = https[0];
    const problems: string[] = [];
    if (https.length !== 1 || served.Port !== httpsPort) {
        problems.push(`expected one HTTPS listener on ${httpsPort}, found ${https.map(describe).join(", ") || "none"}`);
    } else {
        if (served.SslPolicy !== tlsSecurityPolicy) {
            problems.push(`security policy is ${served.SslPolicy ?? "(none)"}, expected ${tlsSecurityPolicy}`);
        }
        const certificates = (served.Certificates ?? []).map((certificate) => certificate.CertificateArn);
        if (certificates.length !== 1 || certificates[0] !== certificateArn) {
            problems.push(`serves [${certificates.join(", ")}], expected ${certificateArn}`);
        }
        if (!(served.DefaultActions ?? []).some(isWeightedForward)) {
            problems.push("does not forward by weight to the two target groups");
        }
    }
    checks.push(
        problems.length === 0
            ? pass("ALB HTTPS listener", `443 with ${certificateArn} under ${tlsSecurityPolicy}`)
            : fail("ALB HTTPS listener", problems.join("; ")),
    );
    const notRedirecting = others.filter((listener) => !isHttpsRedirect(listener.DefaultActions ?? []));
    checks.push(
        others.length > 0 && notRedirecting.length === 0
            ? pass("ALB HTTP listener", `${others.map(describe).join(", ")} only redirects (301) to HTTPS`)
            : fail(
                  "ALB HTTP listener",
                  others.length === 0
                      ? "no HTTP listener to redirect plain requests to HTTPS"
                      : `${notRedirecting.map(describe).join(", ")} does more than redirect to HTTPS with a 301`,
              ),
    );
    return checks;
}

const sameStrategy = (a: readonly CapacityProviderStrategyItem[], b: readonly CapacityProviderStrategyItem[]) => {
    const key = (items: readonly CapacityProviderStrategyItem[]) =>
        items
            .map((item) => `${item.capacityProvider}:${item.base ?? 0}:${item.weight ?? 0}`)
            .sort()
            .join(",");
    return key(a) === key(b);
};

/**
 * The ARM service must be placed as the stack says: by the capacity provider strategy it exported (Fargate Spot,
 * with no launch type beside it and a platform version that takes ARM64 on Spot), or on the FARGATE launch type
 * when it exported none (docs/platform-facts.md, "Fargate Spot for Graviton").
 */
export async function checkArmPlacement(
    ecs: Pick<ECSClient, "send">,
    cluster: string,
    serviceName: string,
    expected: readonly CapacityProviderStrategyItem[] | null,
): Promise<Check[]> {
    const name = `ECS ${serviceName} placement`;
    const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    const service = answer.services?.[0];
    if (service === undefined) {
        return [fail(name, `service not found in cluster ${cluster}`)];
    }
    const actual: CapacityProviderStrategyItem[] = (service.capacityProviderStrategy ?? []).map((item) => ({
        capacityProvider: item.capacityProvider ?? "?",
        base: item.base,
        weight: item.weight,
    }));
    const shown = actual.map((item) => `${item.capacityProvider} base ${item.base ?? 0} weight ${item.weight ?? 0}`);
    if (expected === null) {
        return [
            service.launchType === "FARGATE" && actual.length === 0
                ? pass(name, "FARGATE launch type (on demand)")
                : fail(
                      name,
                      `expected the FARGATE launch type; launch type ${service.launchType ?? "(none)"}, strategy [${shown.join(", ")}]`,
                  ),
        ];
    }
    const problems: string[] = [];
    if (!sameStrategy(actual, expected)) {
        problems.push(`strategy is [${shown.join(", ")}], the stack exported ${JSON.stringify(expected)}`);
    }
    if (service.launchType !== undefined) {
        problems.push(`launch type ${service.launchType} is set beside the strategy`);
    }
    const version = service.platformVersion ?? "LATEST";
    if (version !== "LATEST" && !/^1\.(4|[5-9])\.\d+$|^[2-9]\./.test(version)) {
        problems.push(`platform version ${version}: Fargate Spot takes ARM64 tasks from 1.4.0 on`);
    }
    return [
        problems.length === 0
            ? pass(name, `strategy [${shown.join(", ")}], platform ${version}`)
            : fail(name, problems.join("; ")),
    ];
}

/**
 * Every active revision of the Express service must run amd64Ref on X86_64 (or report no architecture, which is
 * X86_64) and health-check /healthz (docs/platform-facts.md, "Amazon ECS Express Mode").
 */
export async function checkExpressService(
    ecs: Pick<ECSClient, "send">,
    serviceArn: string,
    amd64Ref: string,
): Promise<Check[]> {
    const answer = await ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn }));
    const service = answer.service;
    const name = `Express ${serviceArn.split("/").pop() ?? serviceArn}`;
    if (service === undefined) {
        return [fail(name, "DescribeExpressGatewayService returned no service")];
    }
    const status = service.status?.statusCode;
    const revisions = service.activeConfigurations ?? [];
    const problems: string[] = [];
    if (status !== "ACTIVE") {
        problems.push(
            `status ${status ?? "(none)"}${service.status?.statusReason ? `: ${service.status.statusReason}` : ""}`,
        );
    }
    if (revisions.length === 0) {
        problems.push("no active revision");
    }
    for (const revision of revisions) {
        const label = revision.serviceRevisionArn?.split("/").pop() ?? "revision";
        if (revision.primaryContainer?.image !== amd64Ref) {
            problems.push(
                `${label} runs ${revision.primaryContainer?.image ?? "(no image)"}, expected amd64Ref ${amd64Ref}`,
            );
        }
        if (revision.cpuArchitecture !== undefined && revision.cpuArchitecture !== "X86_64") {
            problems.push(`${label} runs on ${revision.cpuArchitecture}, expected X86_64`);
        }
        if (revision.healthCheckPath !== "/healthz") {
            problems.push(`${label} health-checks ${revision.healthCheckPath ?? "(none)"}, expected /healthz`);
        }
    }
    return [
        problems.length === 0
            ? pass(name, `ACTIVE, ${revisions.length} revision(s) on X86_64 running the amd64 child (amd64Ref)`)
            : fail(name, problems.join("; ")),
    ];
}
