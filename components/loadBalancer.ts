// The load balancer in front of the two services: its security groups and the listener that splits traffic by
// weight between one target group per architecture, with a header to pin a request to either, and a rule that answers
// the weights themselves.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIGURED_SHARE_PATH, configuredShareBody } from "../app/src/configuredShare";
import { ARCHITECTURES, ECS_CPU_ARCHITECTURES, EcsCpuArchitecture, fromEcs } from "../policy-pack/architecture";
import { httpsPort, tlsSecurityPolicy } from "./httpsPolicy";

/** Header a client sets to reach one architecture on purpose, and the values that select each. */
export const targetArchHeader = "x-target-arch";
export const targetArchValues: Readonly<Record<EcsCpuArchitecture, readonly string[]>> = {
    X86_64: ARCHITECTURES[fromEcs("X86_64")].aliases,
    ARM64: ARCHITECTURES[fromEcs("ARM64")].aliases,
};

/** How each architecture's resources are named (`web-x86`, `web-arm`). */
export const shortName: Readonly<Record<EcsCpuArchitecture, string>> = { X86_64: "x86", ARM64: "arm" };

export const healthCheckPath = "/healthz";

export { httpsPort, tlsSecurityPolicy } from "./httpsPolicy";

export interface PortsArgs {
    readonly vpcId: pulumi.Input<string>;
    /** The HTTP listener: it forwards, or with `https` only redirects to HTTPS. */
    readonly listenerPort: number;
    readonly containerPort: number;
    /** Whether the load balancer also listens for HTTPS on `httpsPort`. */
    readonly https: boolean;
}

export interface SecurityGroups {
    readonly alb: aws.ec2.SecurityGroup;
    readonly tasks: aws.ec2.SecurityGroup;
    /** The rules that let the internet in, one per listener port. */
    readonly fromInternet: aws.vpc.SecurityGroupIngressRule[];
}

/**
 * The internet reaches the ALB on the listener port (and 443 with HTTPS) only, the ALB the tasks on the container
 * port only.
 */
export function securityGroupsFor(name: string, args: PortsArgs, parent: pulumi.Resource): SecurityGroups {
    const openPorts = args.https ? [args.listenerPort, httpsPort] : [args.listenerPort];
    const albSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-alb`,
        {
            vpcId: args.vpcId,
            // The description is replace-only; it names the plain port so switching HTTPS on keeps the group.
            description: `Internet to the ${name} load balancer on port ${args.listenerPort}`,
        },
        { parent },
    );
    const taskSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-tasks`,
        { vpcId: args.vpcId, description: `${name} load balancer to tasks on port ${args.containerPort}` },
        { parent },
    );
    // Rules as separate resources: the two groups refer to each other, which inline rules cannot express.
    const fromInternet = openPorts.map(
        (port) =>
            new aws.vpc.SecurityGroupIngressRule(
                port === args.listenerPort ? `${name}-alb-from-internet` : `${name}-alb-https-from-internet`,
                {
                    securityGroupId: albSecurityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrIpv4: "0.0.0.0/0",
                },
                { parent },
            ),
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-alb-to-tasks`,
        {
            securityGroupId: albSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: args.containerPort,
            toPort: args.containerPort,
            referencedSecurityGroupId: taskSecurityGroup.id,
        },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-tasks-from-alb`,
        {
            securityGroupId: taskSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: args.containerPort,
            toPort: args.containerPort,
            referencedSecurityGroupId: albSecurityGroup.id,
        },
        { parent },
    );
    // Tasks only need HTTPS out: ECR image pulls, CloudWatch Logs and the SSM channels of ECS Exec.
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-tasks-https-out`,
        {
            securityGroupId: taskSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
        },
        { parent },
    );
    return { alb: albSecurityGroup, tasks: taskSecurityGroup, fromInternet };
}

export interface WeightedLoadBalancerArgs extends Omit<PortsArgs, "https"> {
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly securityGroups: SecurityGroups;
    /** Share of requests (0-100) forwarded to the ARM64 target group. */
    readonly armTrafficPercent: number;
    /** An ACM certificate in the stack's region: with it, HTTPS on 443 carries the traffic and HTTP only redirects. */
    readonly certificateArn?: pulumi.Input<string>;
}

export interface WeightedLoadBalancer {
    readonly loadBalancer: aws.lb.LoadBalancer;
    /** The listener that forwards to the target groups: HTTPS on 443 with a certificate, else HTTP. */
    readonly listener: aws.lb.Listener;
    /** With a certificate: the HTTP listener, answering every request with a 301 to HTTPS. */
    readonly redirectListener?: aws.lb.Listener;
    readonly targetGroups: Readonly<Record<EcsCpuArchitecture, aws.lb.TargetGroup>>;
    /** Answers `/info/share.json` with the configured weights, so /info can show them beside what it observes. */
    readonly shareRule: aws.lb.ListenerRule;
}

/**
 * The share rule goes before the pinning rules (10, 20), so a pinned request for it gets the weights too; a listener
 * holds one rule per priority (ELB API reference, CreateRule `Priority`).
 */
export const shareRulePriority = 5;

/** An internet-facing ALB whose listener forwards to both architectures by weight. */
export function weightedLoadBalancer(
    name: string,
    args: WeightedLoadBalancerArgs,
    parent: pulumi.Resource,
): WeightedLoadBalancer {
    const loadBalancer = new aws.lb.LoadBalancer(
        name,
        {
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [args.securityGroups.alb.id],
            dropInvalidHeaderFields: true,
        },
        { parent },
    );

    const targetGroups = {} as Record<EcsCpuArchitecture, aws.lb.TargetGroup>;
    for (const arch of ECS_CPU_ARCHITECTURES) {
        targetGroups[arch] = new aws.lb.TargetGroup(
            `${name}-${shortName[arch]}`,
            {
                vpcId: args.vpcId,
                targetType: "ip",
                protocol: "HTTP",
                port: args.containerPort,
                deregistrationDelay: 30,
                healthCheck: {
                    path: healthCheckPath,
                    matcher: "200",
                    interval: 15,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                    timeout: 5,
                },
            },
            { parent },
        );
    }

    const forward: aws.types.input.lb.ListenerDefaultAction = {
        type: "forward",
        forward: {
            targetGroups: [
                { arn: targetGroups.X86_64.arn, weight: 100 - args.armTrafficPercent },
                { arn: targetGroups.ARM64.arn, weight: args.armTrafficPercent },
            ],
            // A client stays on the architecture it first reached, so a session never flips CPU mid-way.
            stickiness: { enabled: true, duration: 3600 },
        },
    };
    const https = args.certificateArn !== undefined;
    const listener = https
        ? new aws.lb.Listener(
              `${name}-https`,
              {
                  loadBalancerArn: loadBalancer.arn,
                  port: httpsPort,
                  protocol: "HTTPS",
                  sslPolicy: tlsSecurityPolicy,
                  certificateArn: args.certificateArn,
                  defaultActions: [forward],
              },
              { parent },
          )
        : new aws.lb.Listener(
              name,
              {
                  loadBalancerArn: loadBalancer.arn,
                  port: args.listenerPort,
                  protocol: "HTTP",
                  defaultActions: [forward],
              },
              { parent },
          );

    const pinRules = ECS_CPU_ARCHITECTURES.map(
        (arch, position) =>
            new aws.lb.ListenerRule(
                `${name}-pin-${shortName[arch]}`,
                {
                    listenerArn: listener.arn,
                    priority: 10 * (position + 1),
                    conditions: [
                        { httpHeader: { httpHeaderName: targetArchHeader, values: [...targetArchValues[arch]] } },
                    ],
                    actions: [{ type: "forward", targetGroupArn: targetGroups[arch].arn }],
                },
                { parent },
            ),
    );

    // The load balancer answers this itself, from the same number as the weights: a new share touches only the
    // listener and this rule, never a task (docs/platform-facts.md, "The configured share from the load balancer").
    const shareRule = new aws.lb.ListenerRule(
        `${name}-share`,
        {
            listenerArn: listener.arn,
            priority: shareRulePriority,
            conditions: [{ pathPattern: { values: [CONFIGURED_SHARE_PATH] } }],
            actions: [
                {
                    type: "fixed-response",
                    fixedResponse: {
                        statusCode: "200",
                        contentType: "application/json",
                        messageBody: configuredShareBody(args.armTrafficPercent),
                    },
                },
            ],
        },
        { parent },
    );

    // Keeps the plain listener's name, so turning HTTPS on updates it in place instead of replacing it. It turns into
    // a redirect only once HTTPS answers (listener, pinning rules and the port open), which with a domain waits for
    // the certificate to be issued: before that, every plain request would be sent to a port nobody serves.
    const redirectListener = https
        ? new aws.lb.Listener(
              name,
              {
                  loadBalancerArn: loadBalancer.arn,
                  port: args.listenerPort,
                  protocol: "HTTP",
                  // A permanent redirect to the same host, path and query on HTTPS (docs/platform-facts.md,
                  // "HTTPS on the load balancer").
                  defaultActions: [
                      {
                          type: "redirect",
                          redirect: { protocol: "HTTPS", port: String(httpsPort), statusCode: "HTTP_301" },
                      },
                  ],
              },
              { parent, dependsOn: [listener, ...pinRules, shareRule, ...args.securityGroups.fromInternet] },
          )
        : undefined;
    return { loadBalancer, listener, redirectListener, targetGroups, shareRule };
}
