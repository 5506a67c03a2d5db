import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "./policies/document";
import { TrustPolicy } from "./policies/trust";

export interface GitHubActionsRoleArgs {
    readonly description: string;
    /** Who may assume the role: one GitHub environment's tokens (policies/trust.ts). */
    readonly trustPolicy: pulumi.Input<TrustPolicy>;
    /**
     * The role's permissions, one managed policy each: an inline policy would hold a third of them. Each document is
     * built from the role's ARN, as a role may read its own definition.
     */
    readonly policies: readonly {
        readonly name: string;
        readonly description: string;
        readonly document: (roleArn: pulumi.Output<string>) => pulumi.Input<PolicyDocument>;
    }[];
}

/** An IAM role for one GitHub environment's jobs, with its managed policies attached. */
export class GitHubActionsRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: GitHubActionsRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        checkArgs(args);
        super("graviton-bootstrap:iam:GitHubActionsRole", name, {}, opts);

        this.role = new aws.iam.Role(
            name,
            { description: args.description, assumeRolePolicy: pulumi.jsonStringify(args.trustPolicy) },
            { parent: this },
        );
        for (const policy of args.policies) {
            const managed = new aws.iam.Policy(
                `${name}-${policy.name}`,
                { description: policy.description, policy: pulumi.jsonStringify(policy.document(this.role.arn)) },
                { parent: this },
            );
            new aws.iam.RolePolicyAttachment(
                `${name}-${policy.name}`,
                { role: this.role.name, policyArn: managed.arn },
                { parent: this },
            );
        }
        this.arn = this.role.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

function checkArgs(args: GitHubActionsRoleArgs): void {
    const names = args.policies.map((policy) => policy.name);
    const repeated = names.filter((policyName, index) => names.indexOf(policyName) !== index);
    if (repeated.length > 0) {
        throw new Error(`GitHubActionsRole: policy names must be unique; ${repeated.join(", ")} appear twice`);
    }
    if (names.length === 0) {
        throw new Error("GitHubActionsRole: policies must name at least one policy");
    }
}
