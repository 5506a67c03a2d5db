// Who may assume each CI role: GitHub's OIDC tokens for one repository and environment. Against the project's own
// model of IAM's trust-policy evaluation (iamModel.ts), not against AWS.
import * as assert from "assert";
import { BootstrapRun, exampleRepository, runBootstrap } from "./harness";
import { evaluate, ModelPolicy } from "./iamModel";

const issuer = "token.actions.githubusercontent.com";
const providerArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;

/** An OIDC token as GitHub issues it, reduced to what a trust policy sees: the provider it comes through and its claims. */
interface Token {
    readonly provider?: string;
    readonly aud?: string;
    readonly sub?: string;
}

function assumes(trustPolicy: ModelPolicy, token: Token): boolean {
    const context: Record<string, string> = {};
    if (token.aud !== undefined) {
        context[`${issuer}:aud`] = token.aud;
    }
    if (token.sub !== undefined) {
        context[`${issuer}:sub`] = token.sub;
    }
    const request = {
        action: "sts:AssumeRoleWithWebIdentity",
        federatedPrincipal: token.provider ?? providerArn,
        context,
    };
    return evaluate([trustPolicy], request) === "allow";
}

/** Each environment's role trust policy as the program registered it, by environment name. */
function trustPolicies(run: BootstrapRun): Record<string, ModelPolicy> {
    return Object.fromEntries(
        run
            .ofType("aws:iam/role:Role")
            .map((role) => [role.name.replace(/^github-/, ""), JSON.parse(String(role.inputs.assumeRolePolicy))]),
    );
}

describe("bootstrap: each role trusts only its own environment of this repository", () => {
    let run: BootstrapRun;
    before(async () => {
        run = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
    });

    it("creates one role per environment the workflows use", () => {
        assert.deepStrictEqual(Object.keys(trustPolicies(run)).sort(), [
            "dev",
            "preview-dev",
            "preview-prod",
            "production",
        ]);
    });

    for (const environment of ["preview-dev", "preview-prod", "dev", "production"]) {
        describe(environment, () => {
            const own = `repo:${exampleRepository}:environment:${environment}`;
            const policy = () => trustPolicies(run)[environment];

            it("accepts a token for STS from a job of this repository in this environment", () => {
                assert.strictEqual(assumes(policy(), { aud: "sts.amazonaws.com", sub: own }), true);
            });

            const rejected: Record<string, Token> = {
                "another repository": {
                    aud: "sts.amazonaws.com",
                    sub: `repo:octo-org/other-repo:environment:${environment}`,
                },
                "another owner's repository of the same name": {
                    aud: "sts.amazonaws.com",
                    sub: `repo:forker/octo-repo:environment:${environment}`,
                },
                "a pull request's token (no environment)": {
                    aud: "sts.amazonaws.com",
                    sub: `repo:${exampleRepository}:pull_request`,
                },
                "a fork's pull request token": { aud: "sts.amazonaws.com", sub: "repo:forker/octo-repo:pull_request" },
                "a branch token": { aud: "sts.amazonaws.com", sub: `repo:${exampleRepository}:ref:refs/heads/main` },
                "a tag token": { aud: "sts.amazonaws.com", sub: `repo:${exampleRepository}:ref:refs/tags/v1.0.0` },
                "another environment": {
                    aud: "sts.amazonaws.com",
                    sub: `repo:${exampleRepository}:environment:${environment === "production" ? "dev" : "production"}`,
                },
                "an environment whose name only starts the same": { aud: "sts.amazonaws.com", sub: `${own}-copy` },
                "the repository spelled in another case": {
                    aud: "sts.amazonaws.com",
                    sub: own.replace("octo-org", "Octo-Org"),
                },
                "GitHub's default audience (the owner's URL)": { aud: "https://github.com/octo-org", sub: own },
                "a token without a subject": { aud: "sts.amazonaws.com" },
                "a token from another identity provider": {
                    provider: "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
                    aud: "sts.amazonaws.com",
                    sub: own,
                },
            };
            for (const [what, token] of Object.entries(rejected)) {
                it(`rejects ${what}`, () => {
                    assert.strictEqual(assumes(policy(), token), false);
                });
            }
        });
    }

    it("binds the condition with StringEquals and no wildcard, and nothing else may assume the role", () => {
        for (const [environment, policy] of Object.entries(trustPolicies(run))) {
            assert.strictEqual(policy.Statement.length, 1, environment);
            const [statement] = policy.Statement;
            assert.deepStrictEqual(Object.keys(statement.Condition ?? {}), ["StringEquals"], environment);
            assert.deepStrictEqual(statement.Principal, { Federated: providerArn }, environment);
            assert.ok(!JSON.stringify(statement.Condition).includes("*"), environment);
        }
    });
});

describe("bootstrap: repositories with immutable subject claims", () => {
    it("trusts the owner@id/name@id subject and no longer the name-only one", async () => {
        const run = await runBootstrap("ci", {
            "graviton-bootstrap:repository": exampleRepository,
            "graviton-bootstrap:repositoryIds": { owner: 123456, repository: 456789 },
        });
        const policy = trustPolicies(run)["production"];
        const immutable = "repo:octo-org@123456/octo-repo@456789:environment:production";
        assert.strictEqual(assumes(policy, { aud: "sts.amazonaws.com", sub: immutable }), true);
        assert.strictEqual(
            assumes(policy, { aud: "sts.amazonaws.com", sub: `repo:${exampleRepository}:environment:production` }),
            false,
        );
        assert.strictEqual(
            assumes(policy, {
                aud: "sts.amazonaws.com",
                sub: "repo:octo-org@999999/octo-repo@456789:environment:production",
            }),
            false,
        );
    });
});

describe("bootstrap: the OIDC provider", () => {
    it("is GitHub's issuer for the STS audience, with no thumbprint", async () => {
        const run = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
        const [provider] = run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.deepStrictEqual(provider.inputs, {
            url: `https://${issuer}`,
            clientIdLists: ["sts.amazonaws.com"],
        });
    });

    it("is not created when the account's existing one is named, and the roles trust that one", async () => {
        const existing = `arn:aws:iam::210987654321:oidc-provider/${issuer}`;
        const run = await runBootstrap("ci", {
            "graviton-bootstrap:repository": exampleRepository,
            "graviton-bootstrap:oidcProviderArn": existing,
        });
        assert.deepStrictEqual(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
        for (const policy of Object.values(trustPolicies(run))) {
            assert.deepStrictEqual(policy.Statement[0].Principal, { Federated: existing });
        }
        assert.strictEqual(run.outputs.githubOidcProviderArn, existing);
    });
});
