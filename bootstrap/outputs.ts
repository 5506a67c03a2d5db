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

/**
 * The GitHub CLI commands that create each environment (a PUT creates or updates one) and set its variables. The
 * values are ARNs, regions and names the config accepts, none with a character a shell would split on.
 */
export function ghCommands(repository: string, environments: Readonly<Record<string, EnvironmentOutput>>): string[] {
    return Object.entries(environments).flatMap(([name, environment]) => [
        `gh api --method PUT repos/${repository}/environments/${name}`,
        `gh variable set ${environment.variable} --env ${name} --body ${environment.roleArn} --repo ${repository}`,
        `gh variable set ${regionVariable} --env ${name} --body ${environment.region} --repo ${repository}`,
    ]);
}

/** The `pulumi config set` commands that give each deployed stack its deploy role's permissions boundary. */
export function boundaryConfigCommands(environments: Readonly<Record<string, EnvironmentOutput>>): string[] {
    return Object.values(environments).flatMap(({ permissionsBoundaryArn, stack }) =>
        permissionsBoundaryArn === undefined
            ? []
            : [`pulumi config set --path iam.permissionsBoundaryArn ${permissionsBoundaryArn} --stack ${stack}`],
    );
}
