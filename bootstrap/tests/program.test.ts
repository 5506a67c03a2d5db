import * as assert from "assert";
import { projectName } from "../../config";
import { listStacks, stackRun } from "../../harness";
import { permissionsBoundaryDocument } from "../policies/boundary";
import { deployPolicies } from "../policies/deploy";
import { managedPoliciesPerRole, managedPolicyMaxCharacters, PolicyDocument, policySize } from "../policies/document";
import { previewPolicies } from "../policies/preview";
import { ownershipTagKeys } from "../policies/scope";
import { environmentSubject, githubTrustPolicy } from "../policies/trust";
import { exampleRepository, mockAccountId, runBootstrap } from "./harness";
import { providerDefaultTags, registeredRoles } from "./roles";

const ns = "graviton-bootstrap";

describe("bootstrap: roles and policies as registered", () => {
    it("gives each role exactly the managed policies of its kind, as policies/ builds them", async () => {
        const run = await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository });
        const roles = registeredRoles(run);
        const expected: Record<string, { kind: "preview" | "deploy"; stack: string }> = {
            "preview-dev": { kind: "preview", stack: "dev" },
            "preview-prod": { kind: "preview", stack: "prod" },
            dev: { kind: "deploy", stack: "dev" },
            production: { kind: "deploy", stack: "prod" },
        };
        for (const [environment, { kind, stack }] of Object.entries(expected)) {
            const boundary = run
                .ofType("aws:iam/policy:Policy")
                .find((p) => p.name === `github-${environment}-boundary`);
            assert.strictEqual(
                boundary === undefined,
                kind === "preview",
                `${environment}: a boundary for deploy roles only`,
            );
            const scope = {
                partition: "aws",
                account: mockAccountId,
                region: "us-east-1",
                project: projectName,
                stack,
                permissionsBoundaryArn: String(boundary?.state.arn ?? ""),
                roleArn: roles[environment].arn,
            };
            const built = kind === "preview" ? previewPolicies(scope, {}) : deployPolicies(scope, {});
            assert.deepStrictEqual(
                roles[environment].policies,
                Object.fromEntries(built.map((policy) => [`github-${environment}-${policy.name}`, policy.document])),
                environment,
            );
        }
    });

    it("relies on tags the main program really puts on everything, in every stack", async () => {
        for (const stack of listStacks()) {
            const tags = providerDefaultTags((await stackRun(stack)).resources);
            const expected: Record<(typeof ownershipTagKeys)[number], string> = { project: projectName, stack };
            for (const key of ownershipTagKeys) {
                assert.strictEqual(tags[key], expected[key], `${stack}: default tag ${key}`);
            }
        }
    });

    it("exports a role ARN per environment that is the registered role's", async () => {
        const run = await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository });
        const roles = registeredRoles(run);
        const outputs = run.outputs.roles as Record<string, { roleArn: string; subject: string }>;
        for (const [environment, role] of Object.entries(roles)) {
            assert.strictEqual(outputs[environment].roleArn, role.arn, environment);
            assert.strictEqual(outputs[environment].subject, `repo:${exampleRepository}:environment:${environment}`);
        }
    });
});

describe("bootstrap: IAM's size limits", () => {
    // The longest values the config accepts, where they end up in the documents.
    const scope = {
        partition: "aws-us-gov",
        account: "123456789012",
        region: "ap-southeast-7",
        project: projectName,
        stack: "s".repeat(100),
        permissionsBoundaryArn: `arn:aws-us-gov:iam::123456789012:policy/${"b".repeat(128)}`,
        // github-<environment of 40>-<7 characters>, and the longest DNS name and zone id the config takes.
        roleArn: `arn:aws-us-gov:iam::123456789012:role/github-${"e".repeat(40)}-1a2b3c4`,
        domain: {
            domainName: `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.io`,
            hostedZoneId: `Z${"0".repeat(31)}`,
        },
    };
    const access = {
        stateBackend: { bucket: "b".repeat(63), prefix: `${"p".repeat(200)}/` },
        kmsKeyArn: `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${"k".repeat(36)}`,
        secretsProviderKeyArn: `arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/${"s".repeat(36)}`,
    };

    it("keeps every managed policy under 6,144 characters and each role under 10 managed policies", () => {
        const boundary = { name: "boundary", document: permissionsBoundaryDocument(scope) };
        for (const policies of [deployPolicies(scope, access), previewPolicies(scope, access), [boundary]]) {
            assert.ok(policies.length <= managedPoliciesPerRole, `${policies.length} policies`);
            for (const policy of policies) {
                const size = policySize(policy.document);
                assert.ok(size <= managedPolicyMaxCharacters, `${policy.name}: ${size} characters`);
            }
        }
    });

    it("keeps the trust policy under IAM's default 2,048 characters", () => {
        const github = {
            repository: `${"o".repeat(39)}/${"r".repeat(100)}`,
            repositoryIds: { owner: 1e12, repository: 1e12 },
        };
        const trust = githubTrustPolicy(
            "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            environmentSubject(github, "e".repeat(40)),
        );
        assert.ok(policySize(trust) <= 2048);
    });

    it("counts size as IAM does, without white space", () => {
        const document: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [{ Sid: "A", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }],
        };
        const compact = JSON.stringify(document).length;
        assert.strictEqual(policySize(document), compact);
        assert.strictEqual(policySize(JSON.parse(JSON.stringify(document, null, 4))), compact);
    });
});
