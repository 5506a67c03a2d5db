import { RoleKind } from "./config";

/** The variable each kind of job reads its role from, as .github/workflows/pull-request.yml and deploy.yml name them. */
export const roleVariables: Readonly<Record<RoleKind, string>> = {
    preview: "AWS_PREVIEW_ROLE_ARN",
    deploy: "AWS_DEPLOY_ROLE_ARN",
};

/** The region variable both workflows pass to aws-actions/configure-aws-credentials. */
export const regionVariable = "AWS_REGION";

/** The variable the workflows pass to pulumi/actions' `cloud-url`; unset, the action logs in to Pulumi Cloud. */
export const backendVariable = "PULUMI_BACKEND_URL";

/** The secrets the workflows' Pulumi steps read: Pulumi Cloud's token, and a passphrase secrets provider's passphrase. */
export const accessTokenSecret = "PULUMI_ACCESS_TOKEN";
export const passphraseSecret = "PULUMI_CONFIG_PASSPHRASE";

/** Where the stacks' state and secrets live, as the bootstrap's config says. */
export interface Backend {
    /** The self-managed backend's URL (`s3://...`); none for Pulumi Cloud. */
    readonly url?: string;
    /** The stacks encrypt their secrets with an `awskms://` key, which the roles reach, instead of the default. */
    readonly kmsSecrets: boolean;
}

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
 * environments"). With a self-managed backend each environment also gets its URL, which the workflows log in to.
 * The values are ARNs, regions and names the config accepts, none with a character a shell would split on; the
 * fields with brackets are quoted, which a shell would otherwise take for a pattern, and so is the URL, whose query
 * may hold `&` or `?`.
 */
export function ghCommands(
    repository: string,
    environments: Readonly<Record<string, EnvironmentOutput>>,
    backend: Backend = { kmsSecrets: false },
): string[] {
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
            ...(backend.url === undefined
                ? []
                : [
                      `gh variable set ${backendVariable} --env ${name} --body ${shellQuoted(backend.url)} --repo ${repository}`,
                  ]),
        ];
    });
}

/**
 * The `gh secret set` commands the chosen backend needs, apart from `githubCommands`: without `--body` gh reads the
 * value from standard input, so piped to a shell it would take the next commands (docs/platform-facts.md, "Pulumi
 * backends in CI"). Pulumi Cloud: its token; self-managed: each environment's stack passphrase, or none with a KMS key.
 */
export function ghSecretCommands(repository: string, environments: readonly string[], backend: Backend): string[] {
    if (backend.url === undefined) {
        return [`gh secret set ${accessTokenSecret} --repo ${repository}`];
    }
    if (backend.kmsSecrets) {
        return [];
    }
    return environments.map((name) => `gh secret set ${passphraseSecret} --env ${name} --repo ${repository}`);
}

/** One shell word, whatever the text holds: single quotes, each `'` in it written as `'\''`. */
function shellQuoted(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `pulumi config set` commands that give each deployed stack its deploy role's permissions boundary. */
export function boundaryConfigCommands(environments: Readonly<Record<string, EnvironmentOutput>>): string[] {
    return Object.values(environments).flatMap(({ permissionsBoundaryArn, stack }) =>
        permissionsBoundaryArn === undefined
            ? []
            : [`pulumi config set --path iam.permissionsBoundaryArn ${permissionsBoundaryArn} --stack ${stack}`],
    );
}
