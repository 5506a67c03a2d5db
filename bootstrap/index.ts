import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { projectName } from "../config";
import { bootstrapProject, loadBootstrapConfig } from "./config";
import { GitHubActionsRole } from "./githubActionsRole";
import {
    Backend,
    boundaryConfigCommands,
    EnvironmentOutput,
    ghCommands,
    ghSecretCommands,
    roleVariables,
} from "./outputs";
import { permissionsBoundaryDocument } from "./policies/boundary";
import { deployPolicies } from "./policies/deploy";
import { NamedPolicy } from "./policies/document";
import { previewPolicies } from "./policies/preview";
import { DeployScope, StackScope } from "./policies/scope";
import { environmentSubject, githubIssuerUrl, githubTrustPolicy, stsAudience } from "./policies/trust";

// Validated before anything is registered: bad config creates nothing.
const config = loadBootstrapConfig();

// Not graviton-multiarch's tags: a deploy role may change what carries those, and must not reach these roles.
const provider = new aws.Provider("aws", {
    region: config.region,
    defaultTags: { tags: { project: bootstrapProject, "managed-by": "pulumi" } },
});
const opts = { provider };

// IAM needs no thumbprint for GitHub's issuer; an account holds one provider per URL, so an existing one can be
// named instead (docs/platform-facts.md, "GitHub OIDC tokens").
const oidcProviderArn =
    config.oidcProviderArn !== undefined
        ? pulumi.output(config.oidcProviderArn)
        : new aws.iam.OpenIdConnectProvider("github", { url: githubIssuerUrl, clientIdLists: [stsAudience] }, opts).arn;

const account = aws.getCallerIdentityOutput({}, opts).accountId;
const partition = aws.getPartitionOutput({}, opts).partition;

const environments: Record<string, pulumi.Output<EnvironmentOutput>> = {};
for (const [name, environment] of Object.entries(config.environments)) {
    const subject = environmentSubject(config, name);
    const stackScope = pulumi.all([account, partition]).apply(([accountId, partitionName]): StackScope => ({
        account: accountId,
        partition: partitionName,
        region: environment.region,
        project: projectName,
        stack: environment.stack,
    }));
    // The most the stack's roles may do; the deploy role creates and changes roles only with this boundary.
    const boundary =
        environment.role === "deploy"
            ? new aws.iam.Policy(
                  `github-${name}-boundary`,
                  {
                      description: `Permissions boundary of the roles of ${projectName} stack ${environment.stack}`,
                      policy: stackScope.apply((s) => JSON.stringify(permissionsBoundaryDocument(s))),
                  },
                  opts,
              )
            : undefined;
    const boundaryArn = boundary?.arn ?? pulumi.output("");
    // The domain a deploy role may serve HTTPS on; a preview role makes no call for it.
    const domain = environment.role === "deploy" ? config.domains[environment.stack] : undefined;
    const scopeOf = (roleArn: pulumi.Output<string>) =>
        pulumi
            .all([stackScope, boundaryArn, roleArn])
            .apply(([s, arn, role]): DeployScope => ({ ...s, permissionsBoundaryArn: arn, roleArn: role, domain }));
    const policiesFor = (deployScope: DeployScope): NamedPolicy[] =>
        environment.role === "preview" ? previewPolicies(deployScope, config) : deployPolicies(deployScope, config);
    // How many policies a role gets depends on the config only, so the resources are known before the account is.
    const policyNames = policiesFor({
        account: "",
        partition: "",
        region: "",
        project: "",
        stack: "",
        permissionsBoundaryArn: "",
        roleArn: "",
        domain,
    });
    const role = new GitHubActionsRole(
        `github-${name}`,
        {
            description: `GitHub environment ${name} of ${config.repository}: ${environment.role} of stack ${environment.stack}`,
            trustPolicy: oidcProviderArn.apply((arn) => githubTrustPolicy(arn, subject)),
            policies: policyNames.map(({ name: policyName, description }) => ({
                name: policyName,
                description,
                document: (roleArn) =>
                    scopeOf(roleArn).apply((deployScope) => policyNamed(policiesFor(deployScope), policyName).document),
            })),
        },
        opts,
    );
    environments[name] = pulumi.all([role.arn, boundaryArn]).apply(([roleArn, permissionsBoundaryArn]) => ({
        role: environment.role,
        stack: environment.stack,
        region: environment.region,
        subject,
        variable: roleVariables[environment.role],
        roleArn,
        ...(environment.role === "deploy" ? { permissionsBoundaryArn } : {}),
    }));
}

export const githubOidcProviderArn = oidcProviderArn;
/** Per GitHub environment: the role, the variable to set to its ARN, and the `sub` claim it trusts. */
export const roles = pulumi.output(environments);
const backend: Backend = {
    url: config.stateBackend?.url,
    kmsSecrets: config.secretsProviderKeyArn !== undefined,
};
/** Run these once (GitHub CLI, logged in with admin rights on the repository) to hand the roles to the workflows. */
export const githubCommands = roles.apply((all) => ghCommands(config.repository, all, backend));
/** Run each by itself, not piped: gh prompts for the value (docs/platform-facts.md, "Pulumi backends in CI"). */
export const githubSecretCommands = ghSecretCommands(config.repository, Object.keys(config.environments), backend);
/**
 * Run these once at the repository's root: each stack a deploy role deploys must give its roles that role's
 * permissions boundary, or the role may not create them.
 */
export const stackConfigCommands = roles.apply(boundaryConfigCommands);

function policyNamed(policies: readonly NamedPolicy[], name: string): NamedPolicy {
    const policy = policies.find((candidate) => candidate.name === name);
    if (policy === undefined) {
        throw new Error(`no policy named ${name} among ${policies.map((candidate) => candidate.name).join(", ")}`);
    }
    return policy;
}
