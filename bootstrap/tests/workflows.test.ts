import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { deployBranch, roleVariables } from "../outputs";
import { exampleRepository, runBootstrap } from "./harness";

const workflowDir = path.resolve(__dirname, "..", "..", ".github", "workflows");

interface WorkflowStep {
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}
interface WorkflowJob {
    environment?: string | { name?: string };
    strategy?: { matrix?: Record<string, unknown> };
    steps?: WorkflowStep[];
}

/** What a job that assumes an AWS role needs from the bootstrap: its environment, role variable and stack. */
interface RoleUse {
    environment: string;
    variable: string;
    stack: string;
    refresh: boolean;
    /** The variable the Pulumi step logs in to (`cloud-url`), if it names one. */
    backendVariable?: string;
    /** The secret each environment variable of the Pulumi step is set from, by the environment variable's name. */
    secrets: Record<string, string>;
}

/** `name` of a bare `${{ <context>.<name> }}`, or undefined. */
function contextName(context: "vars" | "secrets", value: unknown): string | undefined {
    return new RegExp(`^\\$\\{\\{\\s*${context}\\.([A-Z_]+)\\s*\\}\\}$`).exec(String(value))?.[1];
}

/**
 * Reads every job that configures AWS credentials, expanding a `${{ matrix.<key> }}` in the environment name and
 * the stack over the matrix, as GitHub does for each matrix combination.
 */
function roleUses(file: string): RoleUse[] {
    const workflow = parseYaml(fs.readFileSync(path.join(workflowDir, file), "utf8")) as {
        jobs: Record<string, WorkflowJob>;
    };
    const uses: RoleUse[] = [];
    for (const job of Object.values(workflow.jobs)) {
        const credentials = job.steps?.find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        const pulumi = job.steps?.find((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command);
        if (credentials === undefined || pulumi === undefined) {
            continue;
        }
        const variable = contextName("vars", credentials.with?.["role-to-assume"]);
        const secrets = Object.entries(pulumi.env ?? {}).flatMap(([name, value]) => {
            const secret = contextName("secrets", value);
            return secret === undefined ? [] : [[name, secret] as const];
        });
        const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
        assert.ok(
            variable !== undefined && environment !== undefined,
            `${file}: a role job without variable or environment`,
        );
        const matrix = job.strategy?.matrix ?? {};
        const combinations = Object.entries(matrix).reduce<Record<string, string>[]>(
            (all, [key, values]) =>
                all.flatMap((combination) => (values as string[]).map((value) => ({ ...combination, [key]: value }))),
            [{}],
        );
        for (const combination of combinations) {
            const expand = (text: string) =>
                text.replace(
                    /\$\{\{\s*matrix\.([a-z]+)\s*\}\}/g,
                    (_, key: string) => combination[key] ?? `<no matrix.${key}>`,
                );
            uses.push({
                environment: expand(environment),
                variable,
                stack: expand(String(pulumi.with?.["stack-name"])),
                refresh: String(pulumi.with?.refresh ?? "false") === "true",
                backendVariable: contextName("vars", pulumi.with?.["cloud-url"]),
                secrets: Object.fromEntries(secrets),
            });
        }
    }
    return uses;
}

describe("bootstrap: outputs the workflows take", () => {
    const uses = [...roleUses("pull-request.yml"), ...roleUses("deploy.yml")];

    it("finds the four role jobs in the workflows", () => {
        assert.deepStrictEqual(uses.map((use) => use.environment).sort(), [
            "dev",
            "preview-dev",
            "preview-prod",
            "production",
        ]);
    });

    it("has, by default, a role for each of them, with the variable and the stack the job uses", async () => {
        const run = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
        const roles = run.outputs.roles as Record<string, { variable: string; stack: string; role: string }>;
        assert.deepStrictEqual(Object.keys(roles).sort(), uses.map((use) => use.environment).sort());
        for (const use of uses) {
            assert.strictEqual(roles[use.environment].variable, use.variable, use.environment);
            assert.strictEqual(roles[use.environment].stack, use.stack, use.environment);
            assert.strictEqual(roleVariables[roles[use.environment].role as "preview" | "deploy"], use.variable);
        }
    });

    it("prints the gh commands that hand each environment its role and region", async () => {
        const run = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
        const roles = run.outputs.roles as Record<string, { variable: string; roleArn: string; region: string }>;
        const commands = run.outputs.githubCommands as string[];
        for (const [environment, role] of Object.entries(roles)) {
            for (const expected of [
                `gh variable set ${role.variable} --env ${environment} --body ${role.roleArn} --repo ${exampleRepository}`,
                `gh variable set AWS_REGION --env ${environment} --body ${role.region} --repo ${exampleRepository}`,
            ]) {
                assert.ok(commands.includes(expected), expected);
            }
        }
    });

    it("lets only the deploy branch deploy to a deploy environment, since its role trusts any job naming it", async () => {
        const run = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
        const roles = run.outputs.roles as Record<string, { role: string }>;
        const commands = run.outputs.githubCommands as string[];
        for (const [environment, { role }] of Object.entries(roles)) {
            const endpoint = `repos/${exampleRepository}/environments/${environment}`;
            const created = commands.filter(
                (command) => command.startsWith("gh api ") && command.includes(`${endpoint}`),
            );
            // GitHub's REST API: custom branch policies must be on before a branch policy can be added.
            assert.deepStrictEqual(
                created,
                role === "deploy"
                    ? [
                          `gh api --method PUT ${endpoint} -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'`,
                          `gh api --method POST ${endpoint}/deployment-branch-policies -f name=main -f type=branch`,
                      ]
                    : [`gh api --method PUT ${endpoint}`],
                environment,
            );
        }
    });

    describe("the backend's variable and secrets", () => {
        const ns = "graviton-bootstrap";
        // `&` and `?` in the query: a shell takes them for a background job and a pattern unless quoted (POSIX sh).
        const url = "s3://team-state/graviton?region=eu-west-1&awssdk=v2";
        const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const run = (overrides: Record<string, string>) =>
            runBootstrap("ci", { [`${ns}:repository`]: exampleRepository, ...overrides });
        const printed = (outputs: Record<string, unknown>) => ({
            variables: outputs.githubCommands as string[],
            secrets: outputs.githubSecretCommands as string[],
        });
        /** The words a POSIX shell makes of a command: the arguments gh would get. */
        const shellWords = (command: string) =>
            execFileSync("sh", ["-c", `set -- ${command}; printf '%s\\0' "$@"`], { encoding: "utf8" })
                .split("\0")
                .slice(0, -1);

        it("Pulumi Cloud: the token every Pulumi step reads, set once for the repository, and no backend URL", async () => {
            const { variables, secrets } = printed((await run({})).outputs);
            for (const use of uses) {
                assert.ok(use.backendVariable !== undefined, use.environment);
                assert.deepStrictEqual(
                    variables.filter((command) => command.includes(use.backendVariable as string)),
                    [],
                );
            }
            const tokens = new Set(uses.map((use) => use.secrets.PULUMI_ACCESS_TOKEN));
            assert.deepStrictEqual([...tokens], ["PULUMI_ACCESS_TOKEN"]);
            assert.deepStrictEqual(secrets, [`gh secret set PULUMI_ACCESS_TOKEN --repo ${exampleRepository}`]);
        });

        for (const [secretsProvider, overrides, passphrase] of [
            ["a passphrase", { [`${ns}:stateBackendUrl`]: url }, true],
            ["an awskms:// key", { [`${ns}:stateBackendUrl`]: url, [`${ns}:secretsProviderKeyArn`]: key }, false],
        ] as const) {
            it(`self-managed with ${secretsProvider}: each environment's backend URL, as one shell word, and ${passphrase ? "its passphrase" : "no secret"}`, async () => {
                const { variables, secrets } = printed((await run(overrides)).outputs);
                for (const use of uses) {
                    const command = variables.find((line) =>
                        line.startsWith(`gh variable set ${use.backendVariable} --env ${use.environment} `),
                    );
                    assert.ok(command !== undefined, `${use.environment}: ${variables.join("\n")}`);
                    assert.deepStrictEqual(shellWords(command), [
                        "gh",
                        "variable",
                        "set",
                        String(use.backendVariable),
                        "--env",
                        use.environment,
                        "--body",
                        url,
                        "--repo",
                        exampleRepository,
                    ]);
                }
                // No Pulumi Cloud token: the bucket is reached with the role (docs/platform-facts.md, "Pulumi backends in CI").
                assert.deepStrictEqual(
                    [...secrets].sort(),
                    passphrase
                        ? uses
                              .map(
                                  (use) =>
                                      `gh secret set ${use.secrets.PULUMI_CONFIG_PASSPHRASE} --env ${use.environment} --repo ${exampleRepository}`,
                              )
                              .sort()
                        : [],
                );
            });
        }
    });

    it("admits the branch deploy.yml deploys from, and deploy.yml deploys from that branch only", () => {
        const workflow = parseYaml(fs.readFileSync(path.join(workflowDir, "deploy.yml"), "utf8")) as {
            on: { push?: { branches?: string[] } };
            jobs: Record<string, { if?: string; environment?: unknown }>;
        };
        assert.strictEqual(deployBranch, "main");
        assert.deepStrictEqual(workflow.on.push?.branches, [deployBranch]);
        const deployJobs = Object.values(workflow.jobs).filter((job) => job.environment !== undefined);
        assert.ok(deployJobs.length >= 2);
        for (const job of deployJobs) {
            assert.match(String(job.if), new RegExp(`github\\.ref == 'refs/heads/${deployBranch}'`));
        }
    });

    it("needs no read rights beyond the preview role's: nothing previews with a refresh", () => {
        // A refresh reads every resource of the stack, which the preview role may not: neither the workflow's
        // `refresh` input nor the project's `options.refresh: always` (Pulumi project file reference) may ask for one.
        assert.deepStrictEqual(
            uses.filter((use) => use.refresh && use.variable === roleVariables.preview),
            [],
        );
        const project = parseYaml(fs.readFileSync(path.join(workflowDir, "..", "..", "Pulumi.yaml"), "utf8")) as {
            options?: { refresh?: string };
        };
        assert.notStrictEqual(project.options?.refresh, "always");
    });
});
