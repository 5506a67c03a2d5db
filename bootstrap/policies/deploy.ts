import { NamedPolicy, policyDocument } from "./document";
import { appRunnerStatements, autoScalingStatements, ecsStatements, lambdaAndLogsStatements } from "./deployCompute";
import { certificateStatements, dnsStatements } from "./deployDns";
import { eksStatements } from "./deployKubernetes";
import { monitoringStatements } from "./deployMonitoring";
import { ec2Statements, loadBalancingStatements } from "./deployNetwork";
import { iamStatements, registryStatements, serviceRoleStatements } from "./deployRegistryAndIam";
import { DeployScope, ownershipTagGuards } from "./scope";
import { SecretsAccess, secretsStatements } from "./secrets";
import { StateAccess, stateStatements } from "./state";

/**
 * What `pulumi up` and `pulumi destroy` of one graviton-multiarch stack need: the services of every resource the
 * program registers, creates only with the stack's `project` and `stack` tags, changes and deletes only of
 * resources that carry them. Split by concern into managed policies, each under IAM's size limit.
 */
export function deployPolicies(scope: DeployScope, access: StateAccess & SecretsAccess): NamedPolicy[] {
    const policies: NamedPolicy[] = [
        {
            name: "network",
            description: "VPC, subnets, gateways, routes and security groups",
            document: policyDocument(ec2Statements(scope)),
        },
        {
            // HTTPS by domain shares this policy: a role takes 10 managed policies by default.
            name: "load-balancer",
            description:
                "Application Load Balancer, target groups, listener and rules; with a domain, its certificate and DNS records",
            document: policyDocument([
                ...loadBalancingStatements(scope),
                ...(scope.domain === undefined
                    ? []
                    : [...certificateStatements(scope, scope.domain), ...dnsStatements(scope, scope.domain)]),
            ]),
        },
        {
            name: "containers",
            description: "ECS clusters, services, task definitions and their auto scaling, the Express Mode service",
            document: policyDocument([...ecsStatements(scope), ...autoScalingStatements(scope)]),
        },
        {
            name: "kubernetes",
            description: "EKS cluster, node group, add-ons and the deployer's access entry",
            document: policyDocument(eksStatements(scope)),
        },
        {
            name: "functions-and-registry",
            description: "Lambda, App Runner, CloudWatch log groups, the ECR repository and image pushes",
            document: policyDocument([
                ...lambdaAndLogsStatements(scope),
                ...appRunnerStatements(scope),
                ...registryStatements(scope),
            ]),
        },
        {
            name: "roles",
            description: "the roles the services run as, under the stack's role path and within its boundary",
            document: policyDocument(iamStatements(scope)),
        },
        {
            name: "service-roles",
            description: "the roles ECS and EKS build infrastructure with, each bounded by its AWS managed policy",
            document: policyDocument(serviceRoleStatements(scope)),
        },
        {
            name: "monitoring",
            description: "the CloudWatch dashboard, the alarms and the SNS topic they notify",
            document: policyDocument(monitoringStatements(scope)),
        },
        {
            name: "ownership-tags",
            description:
                "explicit denies: no claiming another stack's resources by their tags, no dropping this stack's",
            document: policyDocument(ownershipTagGuards(scope)),
        },
    ];
    const state = stateStatements(scope, access, true);
    const secrets = secretsStatements(access);
    if (state.length + secrets.length > 0) {
        const parts = [
            ...(state.length > 0 ? ["the self-managed Pulumi state backend"] : []),
            ...(secrets.length > 0 ? ["the stacks' secrets provider key"] : []),
        ];
        policies.push({
            name: "state",
            description: parts.join(" and "),
            document: policyDocument([...state, ...secrets]),
        });
    }
    return policies;
}
