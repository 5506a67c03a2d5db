import { ArnScope, arns, creates, ProviderCall, retags, unscoped, uses } from "./callKinds";

/** The key Elastic Load Balancing sets on the AddTags check of a create with tags. */
const elbCreateAction = "elasticloadbalancing:CreateAction";

/** EC2 and Elastic Load Balancing calls of one resource over its life; undefined for other types. */
export function networkCalls(type: string, name: string, scope: ArnScope): ProviderCall[] | undefined {
    const { regional, serviceLinkedRole } = arns(scope);
    const ec2 = (resource: string) => regional("ec2", resource);
    const elb = (resource: string) => regional("elasticloadbalancing", resource);
    const vpc = ec2("vpc/vpc-0a1b2c3d4e5f60718");
    const subnet = ec2("subnet/subnet-0aaa000000000001a");
    const securityGroup = ec2("security-group/sg-0123456789abcdef0");
    const loadBalancer = elb(`loadbalancer/app/${name}/50dc6c495c0c9188`);
    const listener = elb(`listener/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab2`);
    const tagOnCreate = (resource: string, createAction: string) =>
        creates("ec2:CreateTags", resource, { "ec2:CreateAction": createAction });
    // A change of the stack's tags: CreateTags and DeleteTags on the resource itself, no CreateAction key.
    const ec2Retags = (resource: string) => retags("ec2:CreateTags", "ec2:DeleteTags", resource);
    const elbRetags = (resource: string) =>
        retags("elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", resource);

    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return [
                creates("ec2:CreateVpc", vpc),
                tagOnCreate(vpc, "CreateVpc"),
                uses("ec2:ModifyVpcAttribute", vpc),
                ...ec2Retags(vpc),
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
                ...ec2Retags(subnet),
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
                ...ec2Retags(gateway),
                uses("ec2:DeleteInternetGateway", gateway),
                ...unscoped("ec2:DescribeInternetGateways"),
            ];
        }
        case "aws:ec2/eip:Eip": {
            const address = ec2("elastic-ip/eipalloc-0123456789abcdef0");
            return [
                creates("ec2:AllocateAddress", address),
                tagOnCreate(address, "AllocateAddress"),
                ...ec2Retags(address),
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
                ...ec2Retags(gateway),
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
                ...ec2Retags(table),
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
                ...ec2Retags(securityGroup),
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
                ...ec2Retags(rule),
                uses(`ec2:RevokeSecurityGroup${direction}`, securityGroup),
                ...unscoped("ec2:DescribeSecurityGroupRules"),
            ];
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return [
                creates("elasticloadbalancing:CreateLoadBalancer", loadBalancer),
                creates("elasticloadbalancing:AddTags", loadBalancer, { [elbCreateAction]: "CreateLoadBalancer" }),
                uses("elasticloadbalancing:ModifyLoadBalancerAttributes", loadBalancer),
                uses("elasticloadbalancing:SetSecurityGroups", loadBalancer),
                ...elbRetags(loadBalancer),
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
                creates("elasticloadbalancing:AddTags", group, { [elbCreateAction]: "CreateTargetGroup" }),
                uses("elasticloadbalancing:ModifyTargetGroupAttributes", group),
                uses("elasticloadbalancing:ModifyTargetGroup", group),
                ...elbRetags(group),
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
                creates("elasticloadbalancing:AddTags", listener, { [elbCreateAction]: "CreateListener" }),
                uses("elasticloadbalancing:ModifyListener", listener),
                ...elbRetags(listener),
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
                creates("elasticloadbalancing:AddTags", rule, { [elbCreateAction]: "CreateRule" }),
                uses("elasticloadbalancing:ModifyRule", rule),
                ...elbRetags(rule),
                uses("elasticloadbalancing:DeleteRule", rule),
                ...unscoped("elasticloadbalancing:DescribeRules"),
            ];
        }
        default:
            return undefined;
    }
}
