import { arn, Statement } from "./document";
import { createsTagged, inRegion, StackScope, taggedForStack } from "./scope";

/** EC2 resource types the program creates: awsx's Vpc (vpc, subnets, gateways, routes) and the security groups. */
const ec2Types = [
    "vpc",
    "subnet",
    "internet-gateway",
    "elastic-ip",
    "natgateway",
    "route-table",
    "security-group",
    "security-group-rule",
] as const;

/** Create calls that tag the new resource in the same request (TagSpecifications). */
const ec2CreateActions = [
    "ec2:CreateVpc",
    "ec2:CreateSubnet",
    "ec2:CreateInternetGateway",
    "ec2:AllocateAddress",
    "ec2:CreateNatGateway",
    "ec2:CreateRouteTable",
    "ec2:CreateSecurityGroup",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
];

/**
 * EC2 authorizes a create against every resource it names: the new one must come with the stack's tags, the ones it
 * attaches to (the VPC of a subnet, the subnet and address of a NAT gateway) must already carry them. Describe calls
 * take no resource scope (docs/platform-facts.md, "Scoping the deploy role").
 */
export function ec2Statements(scope: StackScope): Statement[] {
    const ours = ec2Types.map((type) => arn(scope, "ec2", `${type}/*`));
    return [
        {
            Sid: "Ec2Describe",
            Effect: "Allow",
            Action: [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAddressesAttribute",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeNatGateways",
                "ec2:DescribeNetworkAcls",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribePrefixLists",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroupRules",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcAttribute",
                "ec2:DescribeVpcs",
            ],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "Ec2CreateTagged",
            Effect: "Allow",
            Action: ec2CreateActions,
            Resource: ours,
            Condition: createsTagged(scope),
        },
        {
            // Tagging in the create request needs CreateTags too, allowed only as part of those creates.
            Sid: "Ec2TagOnCreate",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: ours,
            Condition: createsTagged(scope, { "ec2:CreateAction": ec2CreateActions.map((action) => action.slice(4)) }),
        },
        {
            Sid: "Ec2OfTheStack",
            Effect: "Allow",
            Action: [
                "ec2:AssociateRouteTable",
                "ec2:AttachInternetGateway",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:CreateNatGateway",
                "ec2:CreateRoute",
                "ec2:CreateRouteTable",
                "ec2:CreateSecurityGroup",
                "ec2:CreateSubnet",
                "ec2:CreateTags",
                "ec2:DeleteInternetGateway",
                "ec2:DeleteNatGateway",
                "ec2:DeleteRoute",
                "ec2:DeleteRouteTable",
                "ec2:DeleteSecurityGroup",
                "ec2:DeleteSubnet",
                "ec2:DeleteTags",
                "ec2:DeleteVpc",
                "ec2:DetachInternetGateway",
                "ec2:DisassociateAddress",
                "ec2:DisassociateRouteTable",
                "ec2:ModifySecurityGroupRules",
                "ec2:ModifySubnetAttribute",
                "ec2:ModifyVpcAttribute",
                "ec2:ReleaseAddress",
                "ec2:ReplaceRoute",
                "ec2:ReplaceRouteTableAssociation",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
                "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
            ],
            Resource: ours,
            Condition: taggedForStack(scope),
        },
        {
            // With `network.vpcId` the security groups go into a VPC the program did not create and did not tag.
            Sid: "Ec2SecurityGroupsInAnExistingVpc",
            Effect: "Allow",
            Action: ["ec2:CreateSecurityGroup"],
            Resource: [arn(scope, "ec2", "vpc/*")],
            Condition: inRegion(scope),
        },
    ];
}

/** The Elastic Load Balancing creates the program makes, with tags in the request. */
const loadBalancingCreateActions = ["CreateListener", "CreateLoadBalancer", "CreateRule", "CreateTargetGroup"];

/** The Application Load Balancer, its target groups, listener and rules. */
export function loadBalancingStatements(scope: StackScope): Statement[] {
    const elb = (resource: string) => arn(scope, "elasticloadbalancing", resource);
    const ours = [elb("loadbalancer/app/*"), elb("targetgroup/*"), elb("listener/app/*"), elb("listener-rule/app/*")];
    return [
        {
            // Elastic Load Balancing's Describe calls take no resource scope and return configuration only.
            Sid: "LoadBalancingDescribe",
            Effect: "Allow",
            Action: ["elasticloadbalancing:Describe*"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "LoadBalancingCreateTagged",
            Effect: "Allow",
            Action: loadBalancingCreateActions.map((action) => `elasticloadbalancing:${action}`),
            Resource: ours,
            Condition: createsTagged(scope),
        },
        {
            // Tags given at creation also need AddTags; elasticloadbalancing:CreateAction keeps it to those creates.
            Sid: "LoadBalancingTagOnCreate",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags"],
            Resource: ours,
            Condition: createsTagged(scope, { "elasticloadbalancing:CreateAction": loadBalancingCreateActions }),
        },
        {
            Sid: "LoadBalancingOfTheStack",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetRulePriorities",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
            ],
            Resource: ours,
            Condition: taggedForStack(scope),
        },
    ];
}
