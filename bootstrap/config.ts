import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseNamespace, regionSchema } from "../config/namespace";
import { domainNameError, domainNameShape, hostedZoneIdError, hostedZoneIdShape } from "../config/service";

export const bootstrapProject = "graviton-bootstrap";

/** What a GitHub environment's jobs do with AWS: `pulumi preview` (read-only) or `pulumi up`/`destroy`. */
export const roleKinds = ["preview", "deploy"] as const;
export type RoleKind = (typeof roleKinds)[number];

/** One GitHub environment: the kind of role its jobs assume, and the main program's stack they work on. */
export interface EnvironmentConfig {
    readonly role: RoleKind;
    /** The graviton-multiarch stack (`Pulumi.<stack>.yaml`) the environment's jobs preview or deploy. */
    readonly stack: string;
    /** Where that stack lives; defaults to this stack's `aws:region`. */
    readonly region: string;
}

/** The environments the workflows in .github/workflows use, when the stack config names none. */
export const defaultEnvironments: Readonly<Record<string, Omit<EnvironmentConfig, "region">>> = {
    "preview-dev": { role: "preview", stack: "dev" },
    "preview-prod": { role: "preview", stack: "prod" },
    dev: { role: "deploy", stack: "dev" },
    production: { role: "deploy", stack: "prod" },
};

/**
 * The name a stack serves HTTPS on and the Route 53 zone that holds it: its `service.domainName` and
 * `service.hostedZoneId`. Its deploy role may request certificates for that name and write its records in that zone.
 */
export interface StackDomain {
    readonly domainName: string;
    readonly hostedZoneId: string;
}

export interface BootstrapConfig {
    readonly region: string;
    /** `owner/name`. */
    readonly repository: string;
    /** GitHub's numeric ids, for repositories whose subject claims carry them (immutable subject claims). */
    readonly repositoryIds?: { readonly owner: number; readonly repository: number };
    readonly environments: Readonly<Record<string, EnvironmentConfig>>;
    /** An account has one OIDC provider per URL: reuse it instead of creating one. */
    readonly oidcProviderArn?: string;
    /**
     * A self-managed (DIY) state backend in S3 that the roles must read (preview) or write (deploy): the URL the
     * workflows log in to, its bucket and the key prefix the backend writes under.
     */
    readonly stateBackend?: { readonly url: string; readonly bucket: string; readonly prefix: string };
    /** The state bucket's SSE-KMS key: the roles decrypt the objects they read and encrypt those they write. */
    readonly kmsKeyArn?: string;
    /** The key of the stacks' `awskms://` secrets provider, which every role decrypts each stack's data key with. */
    readonly secretsProviderKeyArn?: string;
    /** Per main-program stack: the domain its deploy role may request a certificate for and point at the ALB. */
    readonly domains: Readonly<Record<string, StackDomain>>;
}

// GitHub account names: letters, digits and single inner hyphens, at most 39; repository names: letters,
// digits, `.`, `_`, `-`, at most 100 (docs/platform-facts.md, "GitHub OIDC tokens").
const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const repositoryNamePattern = /^[A-Za-z0-9._-]{1,100}$/;

const repositorySchema = z.string().refine((value) => {
    const [owner, name, ...rest] = value.split("/");
    return (
        rest.length === 0 &&
        ownerPattern.test(owner ?? "") &&
        repositoryNamePattern.test(name ?? "") &&
        name !== "." &&
        name !== ".."
    );
}, "expected owner/name of a GitHub repository, like octo-org/octo-repo");

const githubId = z.preprocess(
    (value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value),
    z.number().int().positive(),
);

// Kept to characters that reach the subject claim unchanged (GitHub writes a `:` in a name as %3A), and short
// enough for the role name github-<environment>-<suffix> to fit IAM's 64 characters.
const environmentName = z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, "expected an environment name of at most 40 letters, digits, '.', '_' and '-'");

const environmentSchema = z.strictObject({
    role: z.enum(roleKinds),
    stack: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "expected a Pulumi stack name like dev"),
    region: regionSchema.optional(),
});

const providerArn = z
    .string()
    .regex(
        /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        "expected the ARN of the account's GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
    );

// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
const stateBackendUrl = z
    .string()
    .regex(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?(\?.*)?$/,
        "expected the URL given to `pulumi login`, like s3://my-state-bucket or s3://my-state-bucket/some/prefix",
    );

const kmsKeyArn = z
    .string()
    .regex(
        /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/[A-Za-z0-9-]+$/,
        "expected a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<key id>",
    );

// Written as the main program's `service.domainName` and `service.hostedZoneId` take them (config/service.ts).
const domainSchema = z.strictObject({
    domainName: z.string({ error: domainNameError }).regex(domainNameShape, domainNameError),
    hostedZoneId: z.string({ error: hostedZoneIdError }).regex(hostedZoneIdShape, hostedZoneIdError),
});

/** Every key this project reads from its own namespace. */
const bootstrapSchema = z.strictObject({
    repository: repositorySchema,
    repositoryIds: z.strictObject({ owner: githubId, repository: githubId }).optional(),
    environments: z.record(environmentName, environmentSchema).optional(),
    oidcProviderArn: providerArn.optional(),
    stateBackendUrl: stateBackendUrl.optional(),
    kmsKeyArn: kmsKeyArn.optional(),
    secretsProviderKeyArn: kmsKeyArn.optional(),
    domains: z.record(z.string(), domainSchema).optional(),
});

/**
 * Turns this project's raw stack config into one validated object, or throws one Error that lists every
 * problem by its full key (`graviton-bootstrap:repository`), the value found and what is allowed.
 */
export function parseBootstrapConfig(raw: Readonly<Record<string, string>>, stack: string): BootstrapConfig {
    const { data, region } = parseNamespace(raw, stack, bootstrapProject, bootstrapSchema, {
        seeAlso: "bootstrap/README.md",
        otherNamespaces: ["aws", "pulumi"],
        check: (parsed) => {
            const named = parsed.environments ?? defaultEnvironments;
            if (Object.keys(named).length === 0) {
                return [`${bootstrapProject}:environments = {}: expected at least one GitHub environment`];
            }
            // A domain only reaches a role through the deploy environment of its stack.
            const deployed = Object.values(named).flatMap((environment) =>
                environment.role === "deploy" ? [environment.stack] : [],
            );
            return Object.keys(parsed.domains ?? {})
                .filter((stack) => !deployed.includes(stack))
                .map(
                    (stack) =>
                        `${bootstrapProject}:domains.${stack}: no deploy environment deploys stack ${JSON.stringify(stack)}; expected one of ${deployed.map((name) => JSON.stringify(name)).join(", ")}`,
                );
        },
    });
    const { environments, stateBackendUrl: url, domains, ...rest } = data;
    const named: Readonly<Record<string, Omit<EnvironmentConfig, "region"> & { region?: string }>> =
        environments ?? defaultEnvironments;
    return {
        ...rest,
        region,
        environments: Object.fromEntries(
            Object.entries(named).map(([name, environment]) => [
                name,
                { ...environment, region: environment.region ?? region },
            ]),
        ),
        stateBackend: url === undefined ? undefined : { url, ...parseStateBackendUrl(url) },
        domains: domains ?? {},
    };
}

/** Reads and validates the current stack's config once, before anything is registered. */
export function loadBootstrapConfig(): BootstrapConfig {
    return parseBootstrapConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}

/** `s3://bucket/some/prefix?region=...` to the bucket and the key prefix the DIY backend writes under. */
function parseStateBackendUrl(url: string): { bucket: string; prefix: string } {
    const [location] = url.slice("s3://".length).split("?");
    const [bucket, ...path] = location.split("/");
    const prefix = path.filter((part) => part !== "").join("/");
    return { bucket, prefix: prefix === "" ? "" : `${prefix}/` };
}
