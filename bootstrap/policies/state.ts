import { arn, Statement } from "./document";
import { StackScope } from "./scope";

/** Where a self-managed state backend keeps its files, and the key that encrypts them or the stack's secrets. */
export interface StateAccess {
    readonly stateBackend?: { readonly bucket: string; readonly prefix: string };
    readonly kmsKeyArn?: string;
}

/**
 * The objects of one stack in a DIY backend's project layout, under `<prefix>.pulumi/`: its checkpoint (plain or
 * compressed, with the `.bak` copy written before each save) and its tags file, and its history, backups, update
 * journal and lock directories (docs/platform-facts.md, "Pulumi state in S3").
 */
function stackStateObjects(scope: StackScope, root: string, writes: boolean): string[] {
    const { project, stack } = scope;
    const checkpoint = [`${root}stacks/${project}/${stack}.json*`, `${root}stacks/${project}/${stack}.pulumi-tags`];
    const updateFiles = ["history", "backups", "journal"].map((dir) => `${root}${dir}/${project}/${stack}/*`);
    return writes ? [...checkpoint, ...updateFiles, `${root}locks/organization/${project}/${stack}/*`] : checkpoint;
}

/**
 * A preview only reads the stack's checkpoint: it takes no lock and writes no history; an update or destroy also
 * writes the checkpoint, history, backups and a lock file that it deletes again. Every operation reads the
 * backend's `meta.yaml`. Other stacks' and projects' files stay out of reach (docs/platform-facts.md, "Pulumi state
 * in S3").
 */
export function stateStatements(scope: StackScope, access: StateAccess, writes: boolean): Statement[] {
    const statements: Statement[] = [];
    const backend = access.stateBackend;
    if (backend !== undefined) {
        const root = `${backend.bucket}/${backend.prefix}.pulumi/`;
        statements.push(
            {
                Sid: "StateBucketList",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: [arn(scope, "s3", backend.bucket)],
            },
            {
                Sid: "StateBackendVersion",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                Resource: [arn(scope, "s3", `${root}meta.yaml`)],
            },
            {
                Sid: writes ? "StackStateReadWrite" : "StackStateRead",
                Effect: "Allow",
                Action: writes ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
                Resource: stackStateObjects(scope, root, writes).map((object) => arn(scope, "s3", object)),
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
