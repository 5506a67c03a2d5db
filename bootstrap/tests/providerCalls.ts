/**
 * The AWS calls `pulumi up` and `pulumi destroy` make for each resource type graviton-multiarch registers, as
 * terraform-provider-aws (behind @pulumi/aws), awsx and docker-build make them, with the IAM action each call is
 * authorized as (Service Authorization Reference) and the resource it is authorized on. Kept apart from the
 * policies it checks: a resource type the program starts to register and this table lacks fails the tests.
 * Sources: docs/platform-facts.md, "Scoping the deploy role".
 */

/**
 * How IAM sees the call: creating a resource with the stack's tags, on an existing resource of the stack (which
 * carries them), on a resource that carries none (a service-linked role, an alarm, AWS's key), or without scope.
 */
export type CallKind = "creates" | "uses" | "untagged" | "unscoped";

export interface ProviderCall {
    readonly action: string;
    readonly kind: CallKind;
    /** The ARN the call is authorized on (`*` for unscoped calls). */
    readonly resource: string;
    /** Context keys besides tags and region, e.g. the service a role is passed to. */
    readonly extra?: Readonly<Record<string, string>>;
}

export interface ArnScope {
    readonly account: string;
    readonly region: string;
}

const creates = (action: string, resource: string, extra?: Record<string, string>): ProviderCall => ({
    action,
    kind: "creates",
    resource,
    extra,
});
const uses = (action: string, resource: string, extra?: Record<string, string>): ProviderCall => ({
    action,
    kind: "uses",
    resource,
    extra,
});
const untagged = (action: string, resource: string, extra?: Record<string, string>): ProviderCall => ({
    action,
    kind: "untagged",
    resource,
    extra,
});
const unscoped = (...actions: string[]): ProviderCall[] =>
    actions.map((action) => ({ action, kind: "unscoped", resource: "*" }));

/** The child resource types awsx's Vpc creates for a new VPC (pulumi/pulumi-awsx, awsx/ec2/vpc.ts). */
export const awsxVpcChildTypes = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
];

/** The calls one resource of `type` leads to over its life, or undefined for a type this table does not know. */
export function providerCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
): ProviderCall[] | undefined {
    const regional = (service: string, resource: string) =>
        `arn:aws:${service}:${scope.region}:${scope.account}:${resource}`;
    const ec2 = (resource: string) => regional("ec2", resource);
    const elb = (resource: string) => regional("elasticloadbalancing", resource);
    const role = (roleName: string) => `arn:aws:iam::${scope.account}:role/${roleName}`;
    const vpc = ec2("vpc/vpc-0a1b2c3d4e5f60718");
    const subnet = ec2("subnet/subnet-0aaa000000000001a");
    const securityGroup = ec2("security-group/sg-0123456789abcdef0");
    const repository = regional("ecr", `repository/${name}`);
    const loadBalancer = elb(`loadbalancer/app/${name}/50dc6c495c0c9188`);
    const listener = elb(`listener/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab2`);
    const cluster = regional("ecs", `cluster/${name}`);
    const service = regional("ecs", `service/${name}/${name}`);
    const fn = regional("lambda", `function:${name}`);
    const tagOnCreate = (resource: string, createAction: string) =>
        creates("ec2:CreateTags", resource, { "ec2:CreateAction": createAction });
    const serviceLinkedRole = (servicePrincipal: string, roleName: string) =>
        untagged("iam:CreateServiceLinkedRole", role(`aws-service-role/${servicePrincipal}/${roleName}`), {
            "iam:AWSServiceName": servicePrincipal,
        });
    const push = ["BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"];

    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return [
                creates("ec2:CreateVpc", vpc),
                tagOnCreate(vpc, "CreateVpc"),
                uses("ec2:ModifyVpcAttribute", vpc),
                uses("ec2:DeleteVpc", vpc),
                ...unscoped("ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables"),
                ...unscoped("ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", "ec2:DescribeAvailabilityZones"),
            ];
        case "aws:ec2/subnet:Subnet":
            return [
                creates("ec2:CreateSubnet", subnet),
                uses("ec2:CreateSubnet", vpc),
                tagOnCreate(subnet, "CreateSubnet"),
                uses("ec2:ModifySubnetAttribute", subnet),
                uses("ec2:DeleteSubnet", subnet),
                ...unscoped("ec2:DescribeSubnets", "ec2:DescribeNetworkInterfaces"),
            ];
        case "aws:ec2/internetGateway:InternetGateway": {
            const gateway = ec2("internet-gateway/igw-0123456789abcdef0");
            return [
                creates("ec2:CreateInternetGateway", gateway),
                tagOnCreate(gateway, "CreateInternetGateway"),
                uses("ec2:AttachInternetGateway", gateway),
                uses("ec2:AttachInternetGateway", vpc),
                uses("ec2:DetachInternetGateway", gateway),
                uses("ec2:DetachInternetGateway", vpc),
                uses("ec2:DeleteInternetGateway", gateway),
                ...unscoped("ec2:DescribeInternetGateways"),
            ];
        }
        case "aws:ec2/eip:Eip": {
            const address = ec2("elastic-ip/eipalloc-0123456789abcdef0");
            return [
                creates("ec2:AllocateAddress", address),
                tagOnCreate(address, "AllocateAddress"),
                uses("ec2:ReleaseAddress", address),
                ...unscoped("ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"),
            ];
        }
        case "aws:ec2/natGateway:NatGateway": {
            const gateway = ec2("natgateway/nat-0123456789abcdef0");
            return [
                creates("ec2:CreateNatGateway", gateway),
                uses("ec2:CreateNatGateway", subnet),
                uses("ec2:CreateNatGateway", ec2("elastic-ip/eipalloc-0123456789abcdef0")),
                tagOnCreate(gateway, "CreateNatGateway"),
                uses("ec2:DeleteNatGateway", gateway),
                ...unscoped("ec2:DescribeNatGateways"),
            ];
        }
        case "aws:ec2/routeTable:RouteTable": {
            const table = ec2("route-table/rtb-0123456789abcdef0");
            return [
                creates("ec2:CreateRouteTable", table),
                uses("ec2:CreateRouteTable", vpc),
                tagOnCreate(table, "CreateRouteTable"),
                uses("ec2:DeleteRouteTable", table),
                ...unscoped("ec2:DescribeRouteTables"),
            ];
        }
        case "aws:ec2/route:Route": {
            const table = ec2("route-table/rtb-0123456789abcdef0");
            return ["CreateRoute", "ReplaceRoute", "DeleteRoute"].map((action) => uses(`ec2:${action}`, table));
        }
        case "aws:ec2/routeTableAssociation:RouteTableAssociation": {
            const table = ec2("route-table/rtb-0123456789abcdef0");
            return [
                uses("ec2:AssociateRouteTable", table),
                uses("ec2:AssociateRouteTable", subnet),
                uses("ec2:DisassociateRouteTable", table),
                uses("ec2:DisassociateRouteTable", subnet),
            ];
        }
        case "aws:ec2/securityGroup:SecurityGroup":
            // The provider revokes the default allow-all egress rule right after creating a group.
            return [
                creates("ec2:CreateSecurityGroup", securityGroup),
                uses("ec2:CreateSecurityGroup", vpc),
                tagOnCreate(securityGroup, "CreateSecurityGroup"),
                uses("ec2:RevokeSecurityGroupEgress", securityGroup),
                uses("ec2:DeleteSecurityGroup", securityGroup),
                ...unscoped("ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"),
            ];
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
        case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
            const direction = type.includes("Ingress") ? "Ingress" : "Egress";
            const rule = ec2("security-group-rule/sgr-0123456789abcdef0");
            return [
                uses(`ec2:AuthorizeSecurityGroup${direction}`, securityGroup),
                creates(`ec2:AuthorizeSecurityGroup${direction}`, rule),
                tagOnCreate(rule, `AuthorizeSecurityGroup${direction}`),
                uses("ec2:ModifySecurityGroupRules", securityGroup),
                uses("ec2:ModifySecurityGroupRules", rule),
                uses(`ec2:RevokeSecurityGroup${direction}`, securityGroup),
                ...unscoped("ec2:DescribeSecurityGroupRules"),
            ];
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return [
                creates("elasticloadbalancing:CreateLoadBalancer", loadBalancer),
                creates("elasticloadbalancing:AddTags", loadBalancer),
                uses("elasticloadbalancing:ModifyLoadBalancerAttributes", loadBalancer),
                uses("elasticloadbalancing:SetSecurityGroups", loadBalancer),
                uses("elasticloadbalancing:DeleteLoadBalancer", loadBalancer),
                serviceLinkedRole("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing"),
                ...unscoped(
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                ),
                ...unscoped("elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeCapacityReservation"),
            ];
        case "aws:lb/targetGroup:TargetGroup": {
            const group = elb(`targetgroup/${name}/73e2d6bc24d8a067`);
            return [
                creates("elasticloadbalancing:CreateTargetGroup", group),
                creates("elasticloadbalancing:AddTags", group),
                uses("elasticloadbalancing:ModifyTargetGroupAttributes", group),
                uses("elasticloadbalancing:ModifyTargetGroup", group),
                uses("elasticloadbalancing:DeleteTargetGroup", group),
                ...unscoped(
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                ),
            ];
        }
        case "aws:lb/listener:Listener":
            return [
                uses("elasticloadbalancing:CreateListener", loadBalancer),
                creates("elasticloadbalancing:AddTags", listener),
                uses("elasticloadbalancing:ModifyListener", listener),
                uses("elasticloadbalancing:DeleteListener", listener),
                ...unscoped(
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeListenerAttributes",
                ),
            ];
        case "aws:lb/listenerRule:ListenerRule": {
            const rule = elb(`listener-rule/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`);
            return [
                uses("elasticloadbalancing:CreateRule", listener),
                creates("elasticloadbalancing:AddTags", rule),
                uses("elasticloadbalancing:ModifyRule", rule),
                uses("elasticloadbalancing:DeleteRule", rule),
                ...unscoped("elasticloadbalancing:DescribeRules"),
            ];
        }
        case "aws:ecs/cluster:Cluster":
            return [
                creates("ecs:CreateCluster", cluster),
                creates("ecs:TagResource", cluster),
                uses("ecs:DescribeClusters", cluster),
                uses("ecs:UpdateCluster", cluster),
                uses("ecs:UpdateClusterSettings", cluster),
                uses("ecs:DeleteCluster", cluster),
            ];
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const taskDefinition = regional("ecs", `task-definition/${name}:1`);
            return [
                creates("ecs:RegisterTaskDefinition", taskDefinition),
                creates("ecs:TagResource", taskDefinition),
                ...[inputs.executionRoleArn, inputs.taskRoleArn].map((roleArn) =>
                    uses("iam:PassRole", String(roleArn), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
                ),
                ...unscoped("ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition"),
            ];
        }
        case "aws:ecs/service:Service":
            return [
                creates("ecs:CreateService", service),
                creates("ecs:TagResource", service),
                uses("ecs:DescribeServices", service),
                uses("ecs:UpdateService", service),
                uses("ecs:ListServiceDeployments", service),
                uses("ecs:DescribeServiceDeployments", service),
                // A deployment is its own resource, without the service's tags.
                untagged(
                    "ecs:DescribeServiceDeployments",
                    regional("ecs", `service-deployment/${name}/${name}/r-1a2b3c`),
                ),
                uses("ecs:DeleteService", service),
                serviceLinkedRole("ecs.amazonaws.com", "AWSServiceRoleForECS"),
            ];
        case "aws:appautoscaling/target:Target": {
            const target = regional("application-autoscaling", "scalable-target/0ec9f8f1e5a24f1b8d1f2c3a4b5c6d7e");
            return [
                creates("application-autoscaling:RegisterScalableTarget", target),
                creates("application-autoscaling:TagResource", target),
                uses("application-autoscaling:RegisterScalableTarget", target),
                uses("application-autoscaling:DeregisterScalableTarget", target),
                serviceLinkedRole(
                    "ecs.application-autoscaling.amazonaws.com",
                    "AWSServiceRoleForApplicationAutoScaling_ECSService",
                ),
                ...unscoped("application-autoscaling:DescribeScalableTargets"),
            ];
        }
        case "aws:appautoscaling/policy:Policy": {
            const target = regional("application-autoscaling", "scalable-target/0ec9f8f1e5a24f1b8d1f2c3a4b5c6d7e");
            const alarm = regional("cloudwatch", `alarm:TargetTracking-service/web/${name}-AlarmHigh-2f5e4a1c`);
            return [
                uses("application-autoscaling:PutScalingPolicy", target),
                uses("application-autoscaling:DeleteScalingPolicy", target),
                ...["PutMetricAlarm", "DescribeAlarms", "DeleteAlarms"].map((action) =>
                    untagged(`cloudwatch:${action}`, alarm),
                ),
                ...unscoped("application-autoscaling:DescribeScalingPolicies"),
            ];
        }
        case "aws:cloudwatch/logGroup:LogGroup": {
            const group = regional("logs", `log-group:${name}`);
            return [
                creates("logs:CreateLogGroup", group),
                creates("logs:TagResource", group),
                uses("logs:PutRetentionPolicy", group),
                uses("logs:ListTagsForResource", group),
                uses("logs:DeleteLogGroup", group),
                ...unscoped("logs:DescribeLogGroups"),
            ];
        }
        case "aws:ecr/repository:Repository":
            return [
                creates("ecr:CreateRepository", repository),
                creates("ecr:TagResource", repository),
                uses("ecr:DescribeRepositories", repository),
                uses("ecr:PutImageScanningConfiguration", repository),
                uses("ecr:ListTagsForResource", repository),
                uses("ecr:DeleteRepository", repository),
                // ECR retires its grants on the aws/ecr key when the repository goes.
                untagged("kms:RetireGrant", regional("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"), {
                    "kms:ViaService": `ecr.${scope.region}.amazonaws.com`,
                }),
            ];
        case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
            return ["PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy"].map((action) =>
                uses(`ecr:${action}`, repository),
            );
        case "aws:ecr/repositoryPolicy:RepositoryPolicy":
            return ["SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy"].map((action) =>
                uses(`ecr:${action}`, repository),
            );
        case "docker-build:index:Image":
            // Pushes the image and the build cache (a registry manifest) to the repository, pulls the cache from it.
            return [
                ...unscoped("ecr:GetAuthorizationToken"),
                ...[...push, "PutImage", "BatchGetImage", "GetDownloadUrlForLayer"].map((action) =>
                    uses(`ecr:${action}`, regional("ecr", "repository/app")),
                ),
            ];
        case "docker-build:index:Index":
            return [
                ...unscoped("ecr:GetAuthorizationToken"),
                ...["BatchGetImage", "PutImage"].map((action) =>
                    uses(`ecr:${action}`, regional("ecr", "repository/app")),
                ),
            ];
        case "aws:iam/role:Role":
            return [
                creates("iam:CreateRole", role(name)),
                ...["GetRole", "ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"].map(
                    (action) => uses(`iam:${action}`, role(name)),
                ),
                uses("iam:UpdateAssumeRolePolicy", role(name)),
                uses("iam:DeleteRole", role(name)),
            ];
        case "aws:iam/rolePolicy:RolePolicy":
            return ["PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy"].map((action) =>
                uses(`iam:${action}`, role(name)),
            );
        case "aws:lambda/function:Function":
            return [
                creates("lambda:CreateFunction", fn),
                uses("iam:PassRole", String(inputs.role), { "iam:PassedToService": "lambda.amazonaws.com" }),
                ...[
                    "GetFunction",
                    "GetFunctionCodeSigningConfig",
                    "ListVersionsByFunction",
                    "UpdateFunctionCode",
                    "UpdateFunctionConfiguration",
                    "DeleteFunction",
                ].map((action) => uses(`lambda:${action}`, fn)),
            ];
        case "aws:lambda/functionUrl:FunctionUrl":
            return [
                "CreateFunctionUrlConfig",
                "GetFunctionUrlConfig",
                "UpdateFunctionUrlConfig",
                "DeleteFunctionUrlConfig",
            ].map((action) => uses(`lambda:${action}`, fn));
        case "aws:lambda/permission:Permission":
            return ["AddPermission", "GetPolicy", "RemovePermission"].map((action) =>
                uses(`lambda:${action}`, regional("lambda", "function:api")),
            );
        case "aws:apprunner/service:Service": {
            const appService = regional("apprunner", `service/${name}/8fe1e10304f84fd2b0df550fe98a71fa`);
            return [
                creates("apprunner:CreateService", appService),
                creates("apprunner:TagResource", appService),
                uses("iam:PassRole", accessRoleOf(inputs), { "iam:PassedToService": "apprunner.amazonaws.com" }),
                serviceLinkedRole("apprunner.amazonaws.com", "AWSServiceRoleForAppRunner"),
                ...["DescribeService", "UpdateService", "ListOperations", "ListTagsForResource", "DeleteService"].map(
                    (action) => uses(`apprunner:${action}`, appService),
                ),
            ];
        }
        default:
            return undefined;
    }
}

function accessRoleOf(inputs: Readonly<Record<string, unknown>>): string {
    const source = inputs.sourceConfiguration as
        { authenticationConfiguration?: { accessRoleArn?: string } } | undefined;
    return String(source?.authenticationConfiguration?.accessRoleArn);
}

/** Resource types that make no AWS call of their own: providers and this program's components. */
function makesNoCalls(type: string, custom: boolean): boolean {
    return type.startsWith("pulumi:providers:") || (!custom && type !== "awsx:ec2:Vpc");
}

/**
 * Every call a run's resources lead to, with awsx's Vpc component replaced by the resources it creates, and the
 * resource types this table does not know (which a test must refuse).
 */
export function callsOfRun(
    resources: readonly { type: string; name: string; custom: boolean; inputs: Record<string, unknown> }[],
    scope: ArnScope,
): { calls: (ProviderCall & { type: string })[]; unknownTypes: string[] } {
    const calls: (ProviderCall & { type: string })[] = [];
    const unknownTypes = new Set<string>();
    for (const resource of resources) {
        if (makesNoCalls(resource.type, resource.custom)) {
            continue;
        }
        const types = resource.type === "awsx:ec2:Vpc" ? awsxVpcChildTypes : [resource.type];
        for (const type of types) {
            const found = providerCalls(type, resource.name, resource.inputs, scope);
            if (found === undefined) {
                unknownTypes.add(type);
            } else {
                calls.push(...found.map((call) => ({ ...call, type })));
            }
        }
    }
    return { calls, unknownTypes: [...unknownTypes] };
}

/**
 * The request context IAM evaluates a call in: the tags the create request sends, or the tags the resource already
 * carries (the stack's provider default tags, here), the region the call goes to, and the call's own keys.
 */
export function contextOf(
    call: ProviderCall,
    tags: Readonly<Record<string, string>>,
    region: string,
): Record<string, string> {
    const prefix = call.kind === "creates" ? "aws:RequestTag" : call.kind === "uses" ? "aws:ResourceTag" : undefined;
    const tagKeys = prefix === undefined ? [] : Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]);
    return { ...Object.fromEntries(tagKeys), "aws:RequestedRegion": region, ...call.extra };
}
