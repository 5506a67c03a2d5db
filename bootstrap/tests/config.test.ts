import * as assert from "assert";
import { parseStackConfig } from "../../config";
import { stackConfig } from "../../harness";
import { parseBootstrapConfig } from "../config";
import { bootstrapConfig, exampleRepository, runBootstrap, runBootstrapExpectingError } from "./harness";

const ns = "graviton-bootstrap";
const valid = { [`${ns}:repository`]: exampleRepository };

interface BadValue {
    /** The top-level key set, as `pulumi config set --path` would. */
    key: string;
    value: unknown;
    /** What the error must say is allowed. */
    allowed: RegExp;
    /** The key and value the error names, when not `key` and the value itself (a nested setting). */
    reported?: string;
}

const badValues: BadValue[] = [
    { key: "repository", value: "notarepo", allowed: /expected owner\/name of a GitHub repository/ },
    { key: "repository", value: "octo-org/octo-repo/extra", allowed: /expected owner\/name/ },
    { key: "repository", value: "-octo/octo-repo", allowed: /expected owner\/name/ },
    { key: "repository", value: "octo--org/octo-repo", allowed: /expected owner\/name/ },
    { key: "repository", value: `${"o".repeat(40)}/octo-repo`, allowed: /expected owner\/name/ },
    { key: "repository", value: "octo-org/..", allowed: /expected owner\/name/ },
    { key: "repository", value: "octo-org/octo repo", allowed: /expected owner\/name/ },
    {
        key: "repositoryIds",
        value: { owner: "octo", repository: 1 },
        allowed: /expected number/,
        reported: 'repositoryIds.owner = "octo"',
    },
    {
        key: "repositoryIds",
        value: { owner: 1 },
        allowed: /expected number/,
        reported: "repositoryIds.repository = missing",
    },
    {
        key: "repositoryIds",
        value: { owner: 1, repository: 2, extra: 3 },
        allowed: /not a known setting/,
        reported: "repositoryIds.extra",
    },
    {
        key: "environments",
        value: { dev: { role: "admin", stack: "dev" } },
        allowed: /expected one of "preview"\|"deploy"/,
        reported: 'environments.dev.role = "admin"',
    },
    {
        key: "environments",
        value: { "prod:v1": { role: "deploy", stack: "prod" } },
        allowed: /at most 40 letters/,
        reported: 'environments.prod:v1 = "prod:v1"',
    },
    {
        key: "environments",
        value: { ["e".repeat(41)]: { role: "deploy", stack: "prod" } },
        allowed: /at most 40/,
        reported: `environments.${"e".repeat(41)}`,
    },
    {
        key: "environments",
        value: { dev: { role: "deploy", stack: "dev env" } },
        allowed: /expected a Pulumi stack name/,
        reported: 'environments.dev.stack = "dev env"',
    },
    {
        key: "environments",
        value: { dev: { role: "deploy", stack: "dev", region: "mars-1" } },
        allowed: /expected an AWS region/,
        reported: 'environments.dev.region = "mars-1"',
    },
    {
        key: "environments",
        value: {},
        allowed: /expected at least one GitHub environment/,
        reported: "environments = {}",
    },
    {
        key: "oidcProviderArn",
        value: "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
        allowed: /expected the ARN of the account's GitHub OIDC provider/,
    },
    { key: "stateBackendUrl", value: "gs://my-state", allowed: /expected the URL given to `pulumi login`/ },
    { key: "stateBackendUrl", value: "s3://My_Bucket", allowed: /like s3:\/\/my-state-bucket/ },
    { key: "kmsKeyArn", value: "alias/pulumi", allowed: /expected a KMS key ARN/ },
    { key: "secretsProviderKeyArn", value: "awskms://alias/pulumi", allowed: /expected a KMS key ARN/ },
    { key: "repo", value: exampleRepository, allowed: /is not a known setting/, reported: "repo" },
    {
        key: "domains",
        value: { prod: { domainName: "App.Example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } },
        allowed: /expected a lower-case DNS name like app.example.com/,
        reported: 'domains.prod.domainName = "App.Example.com"',
    },
    {
        key: "domains",
        value: { prod: { domainName: "app.example.com", hostedZoneId: "/hostedzone/Z0123" } },
        allowed: /expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ/,
        reported: 'domains.prod.hostedZoneId = "/hostedzone/Z0123"',
    },
    {
        key: "domains",
        value: { prod: { domainName: "app.example.com" } },
        allowed: /expected a Route 53 hosted zone id/,
        reported: "domains.prod.hostedZoneId = missing",
    },
    {
        key: "domains",
        value: { prod: { domainName: "app.example.com", hostedZoneId: "Z0123", zone: "x" } },
        allowed: /not a known setting/,
        reported: "domains.prod.zone",
    },
    {
        key: "domains",
        value: { staging: { domainName: "app.example.com", hostedZoneId: "Z0123" } },
        allowed: /no deploy environment deploys stack "staging"; expected one of "dev", "prod"/,
        reported: "domains.staging",
    },
];

describe("bootstrap config", () => {
    for (const bad of badValues) {
        it(`refuses ${ns}:${bad.key} = ${JSON.stringify(bad.value)} before registering anything`, async () => {
            const { error, resources } = await runBootstrapExpectingError("ci", {
                ...valid,
                [`${ns}:${bad.key}`]: bad.value,
            });
            // The full key, the value refused and what is allowed.
            assert.ok(
                error.message.includes(`${ns}:${bad.reported ?? `${bad.key} = ${JSON.stringify(bad.value)}`}`),
                error.message,
            );
            assert.match(error.message, bad.allowed);
            assert.deepStrictEqual(resources, []);
        });
    }

    it("refuses the stack file as shipped until the repository is filled in, naming the key and the placeholder", async () => {
        const { error, resources } = await runBootstrapExpectingError("ci", {});
        assert.match(error.message, /graviton-bootstrap:repository = "<owner>\/<repo>": expected owner\/name/);
        assert.deepStrictEqual(resources, []);
    });

    it("refuses a missing or malformed aws:region", () => {
        assert.throws(
            () => parseBootstrapConfig({ [`${ns}:repository`]: exampleRepository }, "ci"),
            /aws:region is not set/,
        );
        assert.throws(
            () => parseBootstrapConfig({ [`${ns}:repository`]: exampleRepository, "aws:region": "useast1" }, "ci"),
            /aws:region = "useast1": expected an AWS region name like us-east-1/,
        );
    });

    it("lists every problem at once", () => {
        assert.throws(
            () =>
                parseBootstrapConfig(
                    { [`${ns}:repository`]: "nope", [`${ns}:kmsKeyArn`]: "key", "aws:region": "us-east-1" },
                    "ci",
                ),
            (error: Error) => /repository = "nope"/.test(error.message) && /kmsKeyArn = "key"/.test(error.message),
        );
    });

    it("defaults to the four environments the workflows use, each stack in the stack's region", () => {
        const config = parseBootstrapConfig(bootstrapConfig("ci", valid), "ci");
        assert.deepStrictEqual(config.environments, {
            "preview-dev": { role: "preview", stack: "dev", region: "us-east-1" },
            "preview-prod": { role: "preview", stack: "prod", region: "us-east-1" },
            dev: { role: "deploy", stack: "dev", region: "us-east-1" },
            production: { role: "deploy", stack: "prod", region: "us-east-1" },
        });
    });

    it("reads a state backend URL as `pulumi login` takes it, prefix and query included", () => {
        const config = parseBootstrapConfig(
            bootstrapConfig("ci", {
                ...valid,
                [`${ns}:stateBackendUrl`]: "s3://team-state/graviton/ci?region=eu-west-1",
            }),
            "ci",
        );
        assert.deepStrictEqual(config.stateBackend, {
            url: "s3://team-state/graviton/ci?region=eu-west-1",
            bucket: "team-state",
            prefix: "graviton/ci/",
        });
        const bare = parseBootstrapConfig(
            bootstrapConfig("ci", { ...valid, [`${ns}:stateBackendUrl`]: "s3://team-state" }),
            "ci",
        );
        assert.deepStrictEqual(bare.stateBackend, { url: "s3://team-state", bucket: "team-state", prefix: "" });
    });

    it("reads each deployed stack's domain and hosted zone as the main program's service settings take them", () => {
        const domain = { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
        const config = parseBootstrapConfig(
            bootstrapConfig("ci", { ...valid, [`${ns}:domains`]: { prod: domain } }),
            "ci",
        );
        assert.deepStrictEqual(config.domains, { prod: domain });
        assert.deepStrictEqual(parseBootstrapConfig(bootstrapConfig("ci", valid), "ci").domains, {});
        // The same values pass the main program's own checks of service.domainName and service.hostedZoneId.
        const program = parseStackConfig(
            stackConfig("prod", {
                "graviton-multiarch:service.domainName": domain.domainName,
                "graviton-multiarch:service.hostedZoneId": domain.hostedZoneId,
            }),
            "prod",
        );
        assert.strictEqual(program.service.hostedZoneId, domain.hostedZoneId);
    });

    it("takes repository ids written as `pulumi config set --path` strings", async () => {
        const run = await runBootstrap("ci", {
            ...valid,
            [`${ns}:repositoryIds`]: { owner: "123456", repository: "456789" },
        });
        const roles = run.outputs.roles as Record<string, { subject: string }>;
        assert.strictEqual(roles.dev.subject, "repo:octo-org@123456/octo-repo@456789:environment:dev");
    });
});
