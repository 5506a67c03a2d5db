import { ConditionBlock } from "./document";

/** GitHub Actions' token issuer: the IAM OIDC provider's URL, and the prefix of its condition keys. */
export const githubIssuerHost = "token.actions.githubusercontent.com";
export const githubIssuerUrl = `https://${githubIssuerHost}`;
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const stsAudience = "sts.amazonaws.com";

/** A role trust policy: who may assume the role, under which conditions (it names no resources). */
export interface TrustPolicy {
    readonly Version: "2012-10-17";
    readonly Statement: readonly {
        readonly Sid: string;
        readonly Effect: "Allow";
        readonly Principal: { readonly Federated: string };
        readonly Action: readonly string[];
        readonly Condition: ConditionBlock;
    }[];
}

export interface GitHubRepository {
    /** `owner/name`. */
    readonly repository: string;
    /** With ids, the repository uses GitHub's immutable subject format `repo:owner@id/name@id:...`. */
    readonly repositoryIds?: { readonly owner: number; readonly repository: number };
}

/**
 * The `sub` claim of a job in this repository that references `environment`: the environment wins over the
 * branch and the pull_request parts (docs/platform-facts.md, "GitHub OIDC tokens").
 */
export function environmentSubject(github: GitHubRepository, environment: string): string {
    const [owner, name] = github.repository.split("/");
    const ids = github.repositoryIds;
    const repository = ids === undefined ? `${owner}/${name}` : `${owner}@${ids.owner}/${name}@${ids.repository}`;
    return `repo:${repository}:environment:${environment}`;
}

/**
 * A trust policy that lets exactly one subject assume the role with a GitHub token for STS: StringEquals on
 * both claims, no wildcard (docs/platform-facts.md, "GitHub OIDC tokens").
 */
export function githubTrustPolicy(providerArn: string, subject: string): TrustPolicy {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubEnvironmentOnly",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: ["sts:AssumeRoleWithWebIdentity"],
                Condition: {
                    StringEquals: {
                        [`${githubIssuerHost}:aud`]: stsAudience,
                        [`${githubIssuerHost}:sub`]: subject,
                    },
                },
            },
        ],
    };
}
