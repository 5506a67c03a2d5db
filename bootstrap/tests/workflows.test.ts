import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { deployBranch, roleVariables } from "../outputs";
import { exampleRepository, runBootstrap } from "./harness";

const workflowDir = path.resolve(__dirname, "..", "..", ".github", "workflows");

interface WorkflowStep {
    uses?: string;
    with?: Record<string, unknown>;
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
        const variable = /^\$\{\{\s*vars\.([A-Z_]+)\s*\}\}$/.exec(String(credentials.with?.["role-to-assume"]))?.[1];
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
