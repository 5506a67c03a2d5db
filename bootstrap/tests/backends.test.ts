// The backends the workflows log in to, as each role sees them: Pulumi Cloud keeps state and secrets itself; a
// self-managed backend needs the stack's state files in S3; an `awskms://` secrets provider needs its key.
import * as assert from "assert";
import { exampleRepository, runBootstrap } from "./harness";
import { actionsOf, evaluate } from "./iamModel";
import { registeredRoles } from "./roles";

const ns = "graviton-bootstrap";
const bucketUrl = "s3://team-state/graviton";
const secretsKey = "arn:aws:kms:us-east-1:123456789012:key/5678efgh-56ef-78gh-90ij-5678efgh90ij";
const otherKey = "arn:aws:kms:us-east-1:123456789012:key/0000aaaa-00aa-00aa-00aa-0000aaaa00aa";

const paths = [
    { name: "Pulumi Cloud", config: {}, bucket: false, key: false },
    {
        name: "Pulumi Cloud, awskms:// secrets",
        config: { secretsProviderKeyArn: secretsKey },
        bucket: false,
        key: true,
    },
    { name: "self-managed, passphrase", config: { stateBackendUrl: bucketUrl }, bucket: true, key: false },
    {
        name: "self-managed, awskms:// secrets",
        config: { stateBackendUrl: bucketUrl, secretsProviderKeyArn: secretsKey },
        bucket: true,
        key: true,
    },
] as const;

const stacks: Readonly<Record<string, string>> = {
    "preview-dev": "dev",
    "preview-prod": "prod",
    dev: "dev",
    production: "prod",
};

describe("bootstrap: what each backend needs of the roles", () => {
    for (const path of paths) {
        it(`${path.name}: ${path.bucket ? "the stack's state files" : "no state bucket"}, ${path.key ? "decrypting with the secrets key" : "no KMS key"}`, async () => {
            const overrides = Object.fromEntries(
                Object.entries(path.config).map(([key, value]) => [`${ns}:${key}`, value]),
            );
            const roles = registeredRoles(
                await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository, ...overrides }),
            );
            assert.deepStrictEqual(Object.keys(roles).sort(), Object.keys(stacks).sort());
            for (const [environment, role] of Object.entries(roles)) {
                const policies = Object.values(role.policies);
                const decide = (action: string, resource: string) =>
                    evaluate(policies, { action, resource, context: {} });
                const checkpoint = `arn:aws:s3:::team-state/graviton/.pulumi/stacks/graviton-multiarch/${stacks[environment]}.json`;
                const where = `${path.name}, ${environment}`;
                assert.strictEqual(decide("s3:GetObject", checkpoint), path.bucket ? "allow" : "implicit-deny", where);
                assert.strictEqual(decide("kms:Decrypt", secretsKey), path.key ? "allow" : "implicit-deny", where);
                // Only a new data key calls kms:Encrypt, at `pulumi stack init` (docs/platform-facts.md, "Pulumi backends in CI").
                assert.strictEqual(decide("kms:Encrypt", secretsKey), "implicit-deny", where);
                assert.strictEqual(decide("kms:Decrypt", otherKey), "implicit-deny", where);
                if (!path.bucket && !path.key) {
                    // ECR's grant retirement is the one KMS action a role has without a key (docs/platform-facts.md, "Scoping the deploy role").
                    const reach = actionsOf(policies).filter((action) => /^(s3|kms):(?!RetireGrant$)/.test(action));
                    assert.deepStrictEqual(reach, [], where);
                }
            }
        });
    }

    it("grants the secrets key beside a different SSE-KMS key of the state bucket", async () => {
        const roles = registeredRoles(
            await runBootstrap("ci", {
                [`${ns}:repository`]: exampleRepository,
                [`${ns}:stateBackendUrl`]: bucketUrl,
                [`${ns}:kmsKeyArn`]: otherKey,
                [`${ns}:secretsProviderKeyArn`]: secretsKey,
            }),
        );
        for (const [environment, role] of Object.entries(roles)) {
            const policies = Object.values(role.policies);
            for (const key of [secretsKey, otherKey]) {
                assert.strictEqual(
                    evaluate(policies, { action: "kms:Decrypt", resource: key, context: {} }),
                    "allow",
                    environment,
                );
            }
        }
    });
});
