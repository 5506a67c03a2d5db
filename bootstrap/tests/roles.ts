// Reading a bootstrap run back as IAM sees it: each environment's role, its trust policy and the managed
// policies attached to it, followed through the attachments' role names and policy ARNs.
import { BootstrapRun } from "./harness";
import { ModelPolicy } from "./iamModel";

export interface RegisteredRole {
    readonly environment: string;
    readonly arn: string;
    readonly trustPolicy: ModelPolicy;
    /** The attached managed policies' documents, by the policy's resource name. */
    readonly policies: Readonly<Record<string, ModelPolicy>>;
}

export function registeredRoles(run: BootstrapRun): Record<string, RegisteredRole> {
    const policies = run.ofType("aws:iam/policy:Policy");
    const attachments = run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    const roles: Record<string, RegisteredRole> = {};
    for (const role of run.ofType("aws:iam/role:Role")) {
        const environment = role.name.replace(/^github-/, "");
        const attached = attachments
            .filter((attachment) => attachment.inputs.role === role.state.name)
            .map((attachment) => {
                const policy = policies.find((candidate) => candidate.state.arn === attachment.inputs.policyArn);
                if (policy === undefined) {
                    throw new Error(`attachment ${attachment.name} names no policy the program created`);
                }
                return [policy.name, JSON.parse(String(policy.inputs.policy)) as ModelPolicy] as const;
            });
        roles[environment] = {
            environment,
            arn: String(role.state.arn),
            trustPolicy: JSON.parse(String(role.inputs.assumeRolePolicy)) as ModelPolicy,
            policies: Object.fromEntries(attached),
        };
    }
    return roles;
}

/** The default tags a program's explicit AWS provider puts on every resource it creates. */
export function providerDefaultTags(resources: readonly { type: string; inputs: Record<string, unknown> }[]) {
    const provider = resources.find((resource) => resource.type === "pulumi:providers:aws");
    if (provider === undefined) {
        throw new Error("the program registered no explicit AWS provider");
    }
    const defaultTags = provider.inputs.defaultTags;
    const parsed = (typeof defaultTags === "string" ? JSON.parse(defaultTags) : defaultTags) as {
        tags?: Record<string, string>;
    };
    return parsed.tags ?? {};
}
