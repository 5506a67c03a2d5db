import { RoleKind } from "./config";

/** The variable each kind of job reads its role from, as .github/workflows/pull-request.yml and deploy.yml name them. */
export const roleVariables: Readonly<Record<RoleKind, string>> = {
    preview: "AWS_PREVIEW_ROLE_ARN",
    deploy: "AWS_DEPLOY_ROLE_ARN",
};

/** The region variable both workflows pass to aws-actions/configure-aws-credentials. */
export const regionVariable = "AWS_REGION";

export interface EnvironmentOutput {
    readonly role: RoleKind;
    readonly stack: string;
    readonly region: string;
    /** The `sub` claim the role trusts. */
    readonly subject: string;
    /** The environment variable to set to `roleArn`. */
    readonly variable: string;
    readonly roleArn: string;
    /** Deploy roles only: the boundary the stack's roles must carry (`iam.permissionsBoundaryArn` of the stack). */
    readonly permissionsBoundaryArn?: string;
}

/** The one branch deploy.yml deploys from, and so the one a deploy environment admits. */
export const deployBranch = "main";

/**
 * The GitHub CLI commands that create each environment (a PUT creates or updates one) and set its variables. A
 * deploy role trusts whatever job names its environment, so a deploy environment admits deployments from the deploy
 * branch only: custom branch policies on, then one policy naming the branch (docs/platform-facts.md, "GitHub
 * environments"). The values are ARNs, regions and names the config accepts, none with a character a shell would
 * split on; the fields with brackets are quoted, which a shell would otherwise take for a pattern.
 */
export function ghCommands(repository: string, environments: Readonly<Record<string, EnvironmentOutput>>): string[] {
    return Object.entries(environments).flatMap(([name, environment]) => {
        const endpoint = `repos/${repository}/environments/${name}`;
        const create =
            environment.role === "deploy"
                ? [
                      `gh api --method PUT ${endpoint} -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'`,
                      `gh api --method POST ${endpoint}/deployment-branch-policies -f name=${deployBranch} -f type=branch`,
                  ]
                : [`gh api --method PUT ${endpoint}`];
        return [
            ...create,
            `gh variable set ${environment.variable} --env ${name} --body ${environment.roleArn} --repo ${repository}`,
            `gh variable set ${regionVariable} --env ${name} --body ${environment.region} --repo ${repository}`,
        ];
    });
}

/** The `pulumi config set` commands that give each deployed stack its deploy role's permissions boundary. */
export function boundaryConfigCommands(environments: Readonly<Record<string, EnvironmentOutput>>): string[] {
    return Object.values(environments).flatMap(({ permissionsBoundaryArn, stack }) =>
        permissionsBoundaryArn === undefined
            ? []
            : [`pulumi config set --path iam.permissionsBoundaryArn ${permissionsBoundaryArn} --stack ${stack}`],
    );
}
