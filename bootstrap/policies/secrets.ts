import { Statement } from "./document";

/** The key of the stacks' `awskms://` secrets provider, when they use one. */
export interface SecretsAccess {
    readonly secretsProviderKeyArn?: string;
}

/**
 * A stack created with `--secrets-provider awskms://...` keeps its data key in its stack file, encrypted with the KMS
 * key: every preview and update decrypts it, and only a new data key (`pulumi stack init`, a change of provider)
 * calls kms:Encrypt, which the admin does, not CI (docs/platform-facts.md, "Pulumi backends in CI").
 */
export function secretsStatements(access: SecretsAccess): Statement[] {
    if (access.secretsProviderKeyArn === undefined) {
        return [];
    }
    return [
        {
            Sid: "SecretsProviderKeyDecrypt",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [access.secretsProviderKeyArn],
        },
    ];
}
