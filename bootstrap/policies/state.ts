import { AccountScope, arn, Statement } from "./document";

/** Where a self-managed state backend keeps its files, and the key that encrypts them or the stack's secrets. */
export interface StateAccess {
    readonly stateBackend?: { readonly bucket: string; readonly prefix: string };
    readonly kmsKeyArn?: string;
}

/**
 * The DIY backend keeps everything under `<prefix>.pulumi/`. A preview only reads it: it takes no lock and
 * writes no history; an update or destroy also writes the checkpoint, history, backups and a lock file that it
 * deletes again (docs/platform-facts.md, "Pulumi state in S3").
 */
export function stateStatements(scope: AccountScope, access: StateAccess, writes: boolean): Statement[] {
    const statements: Statement[] = [];
    const backend = access.stateBackend;
    if (backend !== undefined) {
        statements.push(
            {
                Sid: "StateBucketList",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: [arn(scope, "s3", backend.bucket)],
            },
            {
                Sid: writes ? "StateFilesReadWrite" : "StateFilesRead",
                Effect: "Allow",
                Action: writes ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
                Resource: [arn(scope, "s3", `${backend.bucket}/${backend.prefix}.pulumi/*`)],
            },
        );
    }
    if (access.kmsKeyArn !== undefined) {
        // Decrypt reads SSE-KMS objects and the stack's data key; GenerateDataKey encrypts objects it writes.
        statements.push({
            Sid: writes ? "StateKeyEncryptDecrypt" : "StateKeyDecrypt",
            Effect: "Allow",
            Action: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Resource: [access.kmsKeyArn],
        });
    }
    return statements;
}
