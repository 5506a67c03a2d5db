import { NamedPolicy, policyDocument } from "./document";
import { appRunnerStatements, autoScalingStatements, ecsStatements, lambdaAndLogsStatements } from "./deployCompute";
import { ec2Statements, loadBalancingStatements } from "./deployNetwork";
import { iamStatements, registryStatements } from "./deployRegistryAndIam";
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
            name: "load-balancer",
            description: "Application Load Balancer, target groups, listener and rules",
            document: policyDocument(loadBalancingStatements(scope)),
        },
        {
            name: "containers",
            description: "ECS cluster, services, task definitions and their auto scaling",
            document: policyDocument([...ecsStatements(scope), ...autoScalingStatements(scope)]),
        },
        {
            name: "functions",
            description: "Lambda, App Runner and CloudWatch log groups",
            document: policyDocument([...lambdaAndLogsStatements(scope), ...appRunnerStatements(scope)]),
        },
        {
            name: "registry-and-roles",
            description: "ECR repository and image pushes, the roles the services run as",
            document: policyDocument([...registryStatements(scope), ...iamStatements(scope)]),
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
