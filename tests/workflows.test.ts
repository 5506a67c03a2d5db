/**
 * Static checks for the GitHub Actions workflows in .github/workflows.
 *
 * Nothing here talks to GitHub: each workflow file is parsed with `yaml`,
 * turned into a small typed model, and a checker per workflow returns a list
 * of problems (an empty list means the wiring is right). The last block feeds
 * deliberately broken copies of the workflows to the same checkers to prove
 * that they actually reject bad wiring.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

const WORKFLOW_DIR = path.resolve(__dirname, "..", ".github", "workflows");

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

type Dict = Record<string, unknown>;

interface Step {
    index: number;
    label: string;
    uses?: string;
    run?: string;
    workingDirectory?: string;
    with: Dict;
    env: Dict;
    raw: Dict;
}

interface Job {
    id: string;
    if?: string;
    needs: string[];
    /** undefined = not set on the job (inherits the workflow's). */
    permissions?: unknown;
    environment?: string;
    defaultWorkingDirectory?: string;
    matrix: Record<string, string[]>;
    steps: Step[];
    raw: Dict;
}

interface Workflow {
    file: string;
    on: unknown;
    permissions?: unknown;
    concurrency?: unknown;
    jobs: Job[];
    raw: Dict;
}

function isDict(value: unknown): value is Dict {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asDict(value: unknown): Dict {
    return isDict(value) ? value : {};
}

function optString(value: unknown): string | undefined {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    return undefined;
}

function stringList(value: unknown): string[] {
    if (Array.isArray(value)) {
        return value.map(optString).filter((v): v is string => v !== undefined);
    }
    const single = optString(value);
    return single === undefined ? [] : [single];
}

function toStep(raw: unknown, index: number): Step {
    const step = asDict(raw);
    const uses = optString(step.uses);
    const run = optString(step.run);
    const name = optString(step.name);
    return {
        index,
        label: name ?? uses ?? run?.split("\n")[0] ?? `step #${index}`,
        uses,
        run,
        workingDirectory: optString(step["working-directory"]),
        with: asDict(step.with),
        env: asDict(step.env),
        raw: step,
    };
}

function toJob(id: string, raw: unknown): Job {
    const job = asDict(raw);
    const environment = isDict(job.environment) ? optString(job.environment.name) : optString(job.environment);
    const matrixRaw = asDict(asDict(job.strategy).matrix);
    const matrix: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(matrixRaw)) {
        if (key !== "include" && key !== "exclude") {
            matrix[key] = stringList(value);
        }
    }
    for (const extra of Array.isArray(matrixRaw.include) ? matrixRaw.include : []) {
        for (const [key, value] of Object.entries(asDict(extra))) {
            matrix[key] = [...(matrix[key] ?? []), ...stringList(value)];
        }
    }
    return {
        id,
        if: optString(job.if),
        needs: stringList(job.needs),
        permissions: job.permissions,
        environment,
        defaultWorkingDirectory: optString(asDict(asDict(job.defaults).run)["working-directory"]),
        matrix,
        steps: (Array.isArray(job.steps) ? job.steps : []).map(toStep),
        raw: job,
    };
}

function toWorkflow(file: string, raw: unknown): Workflow {
    const doc = asDict(raw);
    return {
        file,
        on: doc.on,
        permissions: doc.permissions,
        concurrency: doc.concurrency,
        jobs: Object.entries(asDict(doc.jobs)).map(([id, job]) => toJob(id, job)),
        raw: doc,
    };
}

/** Parses YAML text; any syntax error (or duplicate key) is thrown. */
function parseYaml(text: string, file: string): unknown {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
        throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("\n")}`);
    }
    return doc.toJS();
}

function workflowFiles(): string[] {
    if (!fs.existsSync(WORKFLOW_DIR)) {
        return [];
    }
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
}

function loadRaw(file: string): unknown {
    return parseYaml(fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8"), file);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function stepsUsing(job: Job, prefix: string): Step[] {
    return job.steps.filter((s) => s.uses !== undefined && s.uses.toLowerCase().startsWith(prefix.toLowerCase()));
}

function firstStepUsing(job: Job, prefix: string): Step | undefined {
    return stepsUsing(job, prefix)[0];
}

function jobsUsing(wf: Workflow, prefix: string): Job[] {
    return wf.jobs.filter((j) => stepsUsing(j, prefix).length > 0);
}

function jobById(wf: Workflow, id: string): Job | undefined {
    return wf.jobs.find((j) => j.id === id);
}

function stepDir(job: Job, step: Step): string {
    const dir = step.workingDirectory ?? job.defaultWorkingDirectory ?? ".";
    return path.posix.normalize(dir.replace(/\/+$/, "") || ".");
}

/** The first step (at or after `from`) running `command` in `dir`; -1 if none. */
function indexOfRun(job: Job, command: RegExp, dir = ".", from = 0): number {
    const step = job.steps.find(
        (s) => s.index >= from && s.run !== undefined && command.test(s.run) && stepDir(job, s) === dir,
    );
    return step === undefined ? -1 : step.index;
}

const NPM_CI = /(^|[\s;&|])npm (ci|clean-install)(?![\w:-])/m;
const NPM_TEST = /(^|[\s;&|])npm (run )?test(?![\w:-])/m;
const NPM_CHECK = /(^|[\s;&|])npm run check(?![\w:-])/m;

/** True when the job runs `npm ci` and later `npm test` at the repository root. */
function runsRootTests(job: Job): boolean {
    const ci = indexOfRun(job, NPM_CI);
    return ci >= 0 && indexOfRun(job, NPM_TEST, ".", ci + 1) > ci;
}

/** Every job `job` depends on, directly or through other jobs. */
function upstreamJobs(wf: Workflow, job: Job): Job[] {
    const seen = new Set<string>();
    const queue = [...job.needs];
    while (queue.length > 0) {
        const id = queue.shift() as string;
        if (seen.has(id)) {
            continue;
        }
        seen.add(id);
        queue.push(...(jobById(wf, id)?.needs ?? []));
    }
    return wf.jobs.filter((j) => seen.has(j.id));
}

/** Values a `with:` input takes, resolving a bare `${{ matrix.x }}` against the job's matrix. */
function inputValues(job: Job, step: Step, input: string): string[] {
    const value = optString(step.with[input]);
    if (value === undefined) {
        return [];
    }
    const m = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(value.trim());
    return m ? (job.matrix[m[1]] ?? []) : [value];
}

function permissionsOf(wf: Workflow, job: Job): unknown {
    return job.permissions !== undefined ? job.permissions : wf.permissions;
}

function hasPermission(wf: Workflow, job: Job, scope: string, level: "read" | "write"): boolean {
    const perms = permissionsOf(wf, job);
    if (perms === undefined) {
        // GitHub's default token permissions never include id-token.
        return false;
    }
    if (typeof perms === "string") {
        return perms === "write-all" || (perms === "read-all" && level === "read");
    }
    const granted = optString(asDict(perms)[scope]);
    return granted === "write" || (granted === "read" && level === "read");
}

function isTruthy(value: unknown): boolean {
    return value === true || optString(value) === "true";
}

/** Walks keys and string values of a parsed document (comments are not part of it). */
function collectStrings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") {
        out.push(value);
    } else if (Array.isArray(value)) {
        value.forEach((v) => collectStrings(v, out));
    } else if (isDict(value)) {
        for (const [k, v] of Object.entries(value)) {
            out.push(k);
            collectStrings(v, out);
        }
    }
    return out;
}

function referencesSecrets(value: unknown): boolean {
    return collectStrings(value).some((s) => /\bsecrets\s*\.|\bsecrets\s*\[/.test(s));
}

const SAME_REPO_GUARD = /github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/;
const FORK_GUARD = /github\.event\.pull_request\.head\.repo\.full_name\s*!=\s*github\.repository/;

function pulumiSteps(job: Job, command: string): Step[] {
    return stepsUsing(job, "pulumi/actions@").filter((s) => optString(s.with.command) === command);
}

// ---------------------------------------------------------------------------
// Checkers: each returns a list of human-readable problems.
// ---------------------------------------------------------------------------

/** Rules for every workflow: pinned actions, OIDC instead of static AWS keys. */
function checkCommon(wf: Workflow): string[] {
    const problems: string[] = [];
    if (wf.jobs.length === 0) {
        problems.push(`${wf.file}: no jobs`);
    }
    for (const job of wf.jobs) {
        if (job.steps.length === 0) {
            problems.push(`${wf.file}/${job.id}: no steps`);
        }
        for (const step of job.steps) {
            if (step.uses !== undefined && !/^[\w.-]+\/[\w./-]+@\S+$/.test(step.uses) && !step.uses.startsWith("./")) {
                problems.push(`${wf.file}/${job.id}: action "${step.uses}" is not pinned to a ref`);
            }
        }
        const pulumi = stepsUsing(job, "pulumi/actions");
        for (const step of pulumi) {
            if (!/^pulumi\/actions@v\d+$/.test(step.uses ?? "")) {
                problems.push(`${wf.file}/${job.id}: pulumi/actions should be pinned to a major (got ${step.uses})`);
            }
        }
        const setupNode = firstStepUsing(job, "actions/setup-node@");
        if (job.steps.some((s) => s.run !== undefined && /\bnpm\b/.test(s.run))) {
            if (setupNode === undefined) {
                problems.push(`${wf.file}/${job.id}: runs npm without actions/setup-node`);
            } else {
                // Node 20 is past its end of life; 22 and 24 are the supported releases (package.json engines).
                if (!/^(22|24)(\.|$)/.test(optString(setupNode.with["node-version"]) ?? "")) {
                    problems.push(`${wf.file}/${job.id}: setup-node should use a supported node-version, 22 or 24`);
                }
                if (optString(setupNode.with.cache) !== "npm") {
                    problems.push(`${wf.file}/${job.id}: setup-node should enable the npm cache`);
                }
            }
        }
        for (const aws of stepsUsing(job, "aws-actions/configure-aws-credentials@")) {
            if (!optString(aws.with["role-to-assume"])) {
                problems.push(`${wf.file}/${job.id}: configure-aws-credentials without role-to-assume`);
            }
            if (!optString(aws.with["aws-region"])) {
                problems.push(`${wf.file}/${job.id}: configure-aws-credentials without aws-region`);
            }
            if (!hasPermission(wf, job, "id-token", "write")) {
                problems.push(`${wf.file}/${job.id}: configures AWS credentials but lacks permissions id-token: write`);
            }
        }
        for (const step of pulumi) {
            const token = optString(step.env.PULUMI_ACCESS_TOKEN) ?? optString(asDict(job.raw.env).PULUMI_ACCESS_TOKEN);
            if (
                step.with.command !== undefined &&
                (token === undefined || !/secrets\.PULUMI_ACCESS_TOKEN/.test(token))
            ) {
                problems.push(`${wf.file}/${job.id}: pulumi step without PULUMI_ACCESS_TOKEN from secrets`);
            }
            if (step.with.command !== undefined) {
                problems.push(...selfManagedBackendProblems(wf, job, step));
            }
        }
    }
    const staticKey = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i;
    for (const s of collectStrings(wf.raw)) {
        if (staticKey.test(s)) {
            problems.push(`${wf.file}: long-lived AWS keys referenced (${s.trim().split("\n")[0]})`);
        }
    }
    return problems;
}

/**
 * A self-managed backend needs what Pulumi Cloud does not: the action logs in to `cloud-url` when it is set and to
 * Pulumi Cloud when it is empty, and a passphrase-provider stack reads its passphrase from the environment
 * (docs/platform-facts.md, "Pulumi backends in CI").
 */
function selfManagedBackendProblems(wf: Workflow, job: Job, step: Step): string[] {
    const problems: string[] = [];
    if (!/^\$\{\{\s*vars\.PULUMI_BACKEND_URL\s*\}\}$/.test(optString(step.with["cloud-url"]) ?? "")) {
        problems.push(`${wf.file}/${job.id}: pulumi step does not log in to vars.PULUMI_BACKEND_URL (cloud-url)`);
    }
    const passphrase =
        optString(step.env.PULUMI_CONFIG_PASSPHRASE) ?? optString(asDict(job.raw.env).PULUMI_CONFIG_PASSPHRASE);
    if (passphrase === undefined || !/^\$\{\{\s*secrets\.PULUMI_CONFIG_PASSPHRASE\s*\}\}$/.test(passphrase)) {
        problems.push(`${wf.file}/${job.id}: pulumi step without PULUMI_CONFIG_PASSPHRASE from secrets`);
    }
    return problems;
}

/** The GitHub environment a preview of a stack runs in; its role is read-only and trusts only that environment. */
const PREVIEW_ENVIRONMENT = /^preview-\$\{\{\s*matrix\.stack\s*\}\}$/;
const PREVIEW_ROLE = /^\$\{\{\s*vars\.AWS_PREVIEW_ROLE_ARN\s*\}\}$/;
const DEPLOY_ROLE = /^\$\{\{\s*vars\.AWS_DEPLOY_ROLE_ARN\s*\}\}$/;

/** The roles a job's configure-aws-credentials steps assume. */
function rolesOf(job: Job): string[] {
    return stepsUsing(job, "aws-actions/configure-aws-credentials@").map(
        (step) => optString(step.with["role-to-assume"]) ?? "",
    );
}

/**
 * A `pulumi up`/`preview` step needs, earlier in the same job: root npm ci, the
 * pack's npm ci and OIDC AWS credentials; an `up` also QEMU with arm64 then
 * buildx, since only an update builds (the program sets buildOnPreview false).
 * It must also pass the local pack.
 */
function checkPulumiRunPrerequisites(wf: Workflow, job: Job, step: Step): string[] {
    const where = `${wf.file}/${job.id} (${step.label})`;
    const problems: string[] = [];
    if (optString(step.with.policyPacks)?.trim() !== "policy-pack") {
        problems.push(`${where}: policyPacks must be "policy-pack"`);
    }
    const before = (s: Step | undefined): boolean => s !== undefined && s.index < step.index;
    const rootCi = indexOfRun(job, NPM_CI);
    if (rootCi < 0 || rootCi > step.index) {
        problems.push(`${where}: no root npm ci before it`);
    }
    const packCi = indexOfRun(job, NPM_CI, "policy-pack");
    if (packCi < 0 || packCi > step.index) {
        problems.push(`${where}: no npm ci in policy-pack before it`);
    }
    // The pack's entry point is its compiled bin/index.js, which is not committed.
    const packBuild = indexOfRun(job, /(^|[\s;&|])npm run build(?![\w:-])/m, "policy-pack");
    if (packBuild < 0 || packBuild > step.index) {
        problems.push(`${where}: the policy pack is not built (npm run build in policy-pack) before it`);
    }
    const qemu = firstStepUsing(job, "docker/setup-qemu-action@");
    const buildx = firstStepUsing(job, "docker/setup-buildx-action@");
    if (optString(step.with.command) !== "up") {
        // A preview builds nothing.
    } else if (!before(qemu)) {
        problems.push(`${where}: docker/setup-qemu-action must run before it`);
    } else if (qemu !== undefined) {
        const platforms = optString(qemu.with.platforms);
        if (platforms !== undefined && !/arm64/.test(platforms) && platforms !== "all") {
            problems.push(`${where}: QEMU is not set up for arm64`);
        }
    }
    if (optString(step.with.command) !== "up") {
        // Nor does it need a builder.
    } else if (!before(buildx)) {
        problems.push(`${where}: docker/setup-buildx-action must run before it`);
    } else if (qemu !== undefined && buildx !== undefined && qemu.index > buildx.index) {
        problems.push(`${where}: QEMU should be set up before the buildx builder`);
    }
    if (!before(firstStepUsing(job, "aws-actions/configure-aws-credentials@"))) {
        problems.push(`${where}: AWS credentials must be configured before it`);
    }
    return problems;
}

function checkPullRequest(wf: Workflow): string[] {
    const problems = checkCommon(wf);
    const on = asDict(wf.on);
    if (!("pull_request" in on)) {
        problems.push(`${wf.file}: not triggered on pull_request`);
    } else {
        const branches = stringList(asDict(on.pull_request).branches);
        if (branches.length > 0 && !branches.includes("main")) {
            problems.push(`${wf.file}: pull_request trigger does not cover main`);
        }
    }
    const group = optString(asDict(wf.concurrency).group) ?? optString(wf.concurrency) ?? "";
    if (!/pull_request\.number|github\.head_ref|github\.ref\b/.test(group)) {
        problems.push(`${wf.file}: concurrency group is not per pull request`);
    }

    const previewJobs = jobsUsing(wf, "pulumi/actions@").filter((j) => pulumiSteps(j, "preview").length > 0);
    if (previewJobs.length === 0) {
        problems.push(`${wf.file}: no pulumi/actions preview job`);
    }
    const stacks = new Set<string>();
    for (const job of previewJobs) {
        const testedUpstream = upstreamJobs(wf, job).some(runsRootTests);
        for (const step of pulumiSteps(job, "preview")) {
            const where = `${wf.file}/${job.id}`;
            inputValues(job, step, "stack-name").forEach((s) => stacks.add(s));
            problems.push(...checkPulumiRunPrerequisites(wf, job, step));
            const ci = indexOfRun(job, NPM_CI);
            const testedHere =
                ci >= 0 &&
                indexOfRun(job, NPM_TEST, ".", ci + 1) > ci &&
                indexOfRun(job, NPM_TEST, ".", ci + 1) < step.index;
            if (!testedHere && !testedUpstream) {
                problems.push(`${where}: preview is not preceded by npm ci + npm test (in the job or a job it needs)`);
            }
            if (!isTruthy(step.with["comment-on-pr"])) {
                problems.push(`${where}: preview does not comment on the PR`);
            }
        }
        if (!hasPermission(wf, job, "pull-requests", "write")) {
            problems.push(`${wf.file}/${job.id}: commenting needs permissions pull-requests: write`);
        }
        if (!PREVIEW_ENVIRONMENT.test(job.environment ?? "")) {
            problems.push(
                `${wf.file}/${job.id}: a preview must run in its stack's environment preview-\${{ matrix.stack }}, got ${job.environment ?? "none"}`,
            );
        }
        if (rolesOf(job).some((role) => !PREVIEW_ROLE.test(role))) {
            problems.push(
                `${wf.file}/${job.id}: a preview must assume the read-only vars.AWS_PREVIEW_ROLE_ARN, got ${rolesOf(job).join(", ")}`,
            );
        }
    }
    for (const stack of ["dev", "prod"]) {
        if (!stacks.has(stack)) {
            problems.push(`${wf.file}: no preview of stack ${stack}`);
        }
    }

    // Anything holding credentials must only run for same-repository PRs.
    for (const job of wf.jobs) {
        const privileged =
            referencesSecrets(job.raw) ||
            hasPermission(wf, job, "id-token", "write") ||
            stepsUsing(job, "pulumi/actions@").length > 0 ||
            stepsUsing(job, "aws-actions/configure-aws-credentials@").length > 0;
        if (privileged && !SAME_REPO_GUARD.test(job.if ?? "")) {
            problems.push(`${wf.file}/${job.id}: uses credentials but is not limited to same-repository PRs`);
        }
    }

    const forkJobs = wf.jobs.filter((j) => FORK_GUARD.test(j.if ?? ""));
    if (forkJobs.length === 0) {
        problems.push(`${wf.file}: no job for pull requests from forks`);
    }
    for (const job of forkJobs) {
        const where = `${wf.file}/${job.id}`;
        if (!runsRootTests(job)) {
            problems.push(`${where}: fork job must run npm ci then npm test`);
        }
        const ci = indexOfRun(job, NPM_CI);
        if (ci < 0 || indexOfRun(job, NPM_CHECK, ".", ci + 1) < 0) {
            problems.push(`${where}: fork job must run npm run check after npm ci`);
        }
        if (referencesSecrets(job.raw)) {
            problems.push(`${where}: fork job references secrets`);
        }
        if (hasPermission(wf, job, "id-token", "write")) {
            problems.push(`${where}: fork job asks for an OIDC token`);
        }
        if (stepsUsing(job, "pulumi/actions@").length + stepsUsing(job, "aws-actions/").length > 0) {
            problems.push(`${where}: fork job uses Pulumi Cloud or AWS actions`);
        }
    }
    return problems;
}

function checkDeploy(wf: Workflow): string[] {
    const problems = checkCommon(wf);
    const on = asDict(wf.on);
    const pushBranches = stringList(asDict(on.push).branches);
    if (!pushBranches.includes("main")) {
        problems.push(`${wf.file}: not triggered on push to main`);
    }
    if (!("workflow_dispatch" in on)) {
        problems.push(`${wf.file}: no workflow_dispatch trigger`);
    }
    if (wf.concurrency === undefined) {
        problems.push(`${wf.file}: no concurrency group (deploys could overlap)`);
    } else if (isTruthy(asDict(wf.concurrency)["cancel-in-progress"])) {
        problems.push(`${wf.file}: deploys must not be cancelled in progress`);
    }

    const upJob = (stack: string): { job: Job; step: Step } | undefined => {
        for (const job of wf.jobs) {
            const step = pulumiSteps(job, "up").find((s) => inputValues(job, s, "stack-name").includes(stack));
            if (step !== undefined) {
                return { job, step };
            }
        }
        return undefined;
    };
    const dev = upJob("dev");
    const prod = upJob("prod");
    if (dev === undefined) {
        problems.push(`${wf.file}: no pulumi up of stack dev`);
    }
    if (prod === undefined) {
        problems.push(`${wf.file}: no pulumi up of stack prod`);
    }
    for (const found of [dev, prod]) {
        if (found !== undefined) {
            problems.push(...checkPulumiRunPrerequisites(wf, found.job, found.step));
            if (found.job.environment === undefined) {
                problems.push(
                    `${wf.file}/${found.job.id}: a deploy must run in its stack's environment, whose role trusts only it`,
                );
            }
            if (rolesOf(found.job).some((role) => !DEPLOY_ROLE.test(role))) {
                problems.push(
                    `${wf.file}/${found.job.id}: a deploy must assume vars.AWS_DEPLOY_ROLE_ARN of its environment, got ${rolesOf(found.job).join(", ")}`,
                );
            }
            if (!upstreamJobs(wf, found.job).some(runsRootTests)) {
                problems.push(`${wf.file}/${found.job.id}: deploy does not depend on a job running npm ci + npm test`);
            }
        }
    }
    if (dev !== undefined && prod !== undefined) {
        if (dev.job.id === prod.job.id) {
            problems.push(`${wf.file}: dev and prod must be deployed by separate jobs`);
        } else if (!prod.job.needs.includes(dev.job.id)) {
            problems.push(`${wf.file}/${prod.job.id}: prod job must list the dev job (${dev.job.id}) in needs`);
        }
        if (prod.job.environment === undefined) {
            problems.push(`${wf.file}/${prod.job.id}: prod job has no environment (no approval gate)`);
        } else if (prod.job.environment !== "production") {
            problems.push(`${wf.file}/${prod.job.id}: prod job should use environment "production"`);
        }
    }
    return problems;
}

function checkPolicyPublish(wf: Workflow): string[] {
    const problems = checkCommon(wf);
    const on = asDict(wf.on);
    const tags = stringList(asDict(on.push).tags);
    if (tags.length === 0) {
        problems.push(`${wf.file}: not triggered on tag pushes`);
    }
    if (stringList(asDict(on.push).branches).length > 0 || "pull_request" in on) {
        problems.push(`${wf.file}: publishing must only be triggered by tags`);
    }
    const publishers = wf.jobs.filter((j) => indexOfRun(j, /pulumi policy publish/, "policy-pack") >= 0);
    if (publishers.length === 0) {
        problems.push(`${wf.file}: no step runs pulumi policy publish in policy-pack`);
    }
    for (const job of publishers) {
        const where = `${wf.file}/${job.id}`;
        const publish = job.steps[indexOfRun(job, /pulumi policy publish/, "policy-pack")];
        const packCi = indexOfRun(job, NPM_CI, "policy-pack");
        if (packCi < 0 || packCi > publish.index) {
            problems.push(`${where}: npm ci in policy-pack must precede the publish`);
        }
        const cli = job.steps.find(
            (s) =>
                s.index < publish.index &&
                (s.uses?.startsWith("pulumi/actions@") || s.uses?.startsWith("pulumi/setup-pulumi@")),
        );
        if (cli === undefined) {
            problems.push(`${where}: the Pulumi CLI is not installed before publishing`);
        }
        if (!collectStrings(publish.raw).some((s) => /vars\.PULUMI_ORG/.test(s))) {
            problems.push(`${where}: the publish step does not take the org from vars.PULUMI_ORG`);
        }
        if (
            !/secrets\.PULUMI_ACCESS_TOKEN/.test(
                optString(publish.env.PULUMI_ACCESS_TOKEN) ?? optString(asDict(job.raw.env).PULUMI_ACCESS_TOKEN) ?? "",
            )
        ) {
            problems.push(`${where}: the publish step has no PULUMI_ACCESS_TOKEN from secrets`);
        }
        const versionCheck = job.steps.find(
            (s) =>
                s.index < publish.index &&
                s.run !== undefined &&
                /policy-pack\/package\.json/.test(s.run) &&
                /ref_name|GITHUB_REF|TAG/.test(collectStrings(s.raw).join("\n")),
        );
        if (versionCheck === undefined) {
            problems.push(`${where}: no check that the tag matches policy-pack/package.json before publishing`);
        }
    }
    return problems;
}

const CHECKERS: Record<string, (wf: Workflow) => string[]> = {
    "pull-request.yml": checkPullRequest,
    "deploy.yml": checkDeploy,
    "policy-publish.yml": checkPolicyPublish,
};

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe("GitHub workflows", () => {
    const files = workflowFiles();

    it("has exactly the expected workflow files, each covered by a checker", () => {
        assert.deepStrictEqual(files, Object.keys(CHECKERS).sort());
    });

    for (const file of files) {
        describe(file, () => {
            it("parses as YAML (no syntax errors, no duplicate keys)", () => {
                const raw = loadRaw(file);
                assert.ok(isDict(raw), `${file} is not a mapping`);
                assert.ok(isDict(raw.jobs), `${file} has no jobs mapping`);
                assert.ok(raw.on !== undefined, `${file} has no "on" trigger`);
            });

            it("passes its wiring checks", () => {
                const checker = CHECKERS[file];
                assert.ok(checker, `no checker registered for ${file}`);
                assert.deepStrictEqual(checker(toWorkflow(file, loadRaw(file))), []);
            });
        });
    }

    it("parseYaml rejects broken YAML and duplicate keys", () => {
        assert.throws(() => parseYaml("jobs:\n  a: [1, 2\n", "broken.yml"), /broken\.yml/);
        assert.throws(() => parseYaml("on: push\non: pull_request\n", "dup.yml"), /dup\.yml/);
    });
});

describe("workflow checkers reject broken wiring", () => {
    /** Loads a workflow, lets `mutate` edit a deep copy, and returns the checker's problems. */
    function problemsAfter(file: string, mutate: (doc: Dict) => void): string[] {
        const copy = structuredClone(loadRaw(file));
        assert.ok(isDict(copy));
        mutate(copy);
        return CHECKERS[file](toWorkflow(file, copy));
    }

    function job(doc: Dict, id: string): Dict {
        const j = asDict(doc.jobs)[id];
        assert.ok(isDict(j), `job ${id} not found`);
        return j;
    }

    function steps(doc: Dict, jobId: string): Dict[] {
        const s = job(doc, jobId).steps;
        assert.ok(Array.isArray(s));
        return s.filter(isDict);
    }

    function stepUsing(doc: Dict, jobId: string, prefix: string): Dict {
        const s = steps(doc, jobId).find((st) => optString(st.uses)?.startsWith(prefix));
        assert.ok(s, `${jobId} has no step using ${prefix}`);
        return s;
    }

    function expectProblem(problems: string[], pattern: RegExp): void {
        assert.ok(
            problems.some((p) => pattern.test(p)),
            `expected a problem matching ${pattern}, got:\n  ${problems.join("\n  ") || "(none)"}`,
        );
    }

    it("pull-request: preview without policyPacks", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete asDict(stepUsing(doc, "preview", "pulumi/actions@").with).policyPacks;
        });
        expectProblem(problems, /policyPacks/);
    });

    it("pull-request: preview of only one stack", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            asDict(asDict(job(doc, "preview").strategy).matrix).stack = ["dev"];
        });
        expectProblem(problems, /no preview of stack prod/);
    });

    it("pull-request: no PR comment", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            asDict(stepUsing(doc, "preview", "pulumi/actions@").with)["comment-on-pr"] = false;
        });
        expectProblem(problems, /comment on the PR/);
    });

    it("pull-request: tests no longer precede the preview", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete job(doc, "preview").needs;
        });
        expectProblem(problems, /npm ci \+ npm test/);
    });

    it("deploy: prod logging in to Pulumi Cloud whatever the backend variable says, or to a fixed URL", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            delete asDict(stepUsing(doc, "deploy-prod", "pulumi/actions@").with)["cloud-url"];
            asDict(stepUsing(doc, "deploy-dev", "pulumi/actions@").with)["cloud-url"] = "s3://team-state";
        });
        expectProblem(problems, /deploy-prod: pulumi step does not log in to vars.PULUMI_BACKEND_URL/);
        expectProblem(problems, /deploy-dev: pulumi step does not log in to vars.PULUMI_BACKEND_URL/);
    });

    it("pull-request: preview without the passphrase a self-managed stack decrypts with", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete asDict(stepUsing(doc, "preview", "pulumi/actions@").env).PULUMI_CONFIG_PASSPHRASE;
        });
        expectProblem(problems, /preview: pulumi step without PULUMI_CONFIG_PASSPHRASE from secrets/);
    });

    it("deploy: QEMU moved after the up", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            const list = steps(doc, "deploy-dev");
            const qemu = list.findIndex((s) => optString(s.uses)?.startsWith("docker/setup-qemu-action@"));
            const [moved] = list.splice(qemu, 1);
            list.push(moved);
            job(doc, "deploy-dev").steps = list;
        });
        expectProblem(problems, /setup-qemu-action must run before/);
    });

    it("pull-request: preview outside its stack's preview environment", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete job(doc, "preview").environment;
        });
        expectProblem(problems, /preview must run in its stack's environment/);
    });

    it("pull-request: preview with a deploy role", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            asDict(stepUsing(doc, "preview", "aws-actions/configure-aws-credentials@").with)["role-to-assume"] =
                "${{ vars.AWS_DEPLOY_ROLE_ARN }}";
        });
        expectProblem(problems, /read-only vars.AWS_PREVIEW_ROLE_ARN/);
    });

    it("deploy: dev without its environment, or with the repository-wide role", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            delete job(doc, "deploy-dev").environment;
            asDict(stepUsing(doc, "deploy-dev", "aws-actions/configure-aws-credentials@").with)["role-to-assume"] =
                "${{ vars.AWS_ROLE_ARN }}";
        });
        expectProblem(problems, /deploy-dev: a deploy must run in its stack's environment/);
        expectProblem(problems, /deploy-dev: a deploy must assume vars.AWS_DEPLOY_ROLE_ARN/);
    });

    it("pull-request: static AWS keys instead of a role", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            const aws = asDict(stepUsing(doc, "preview", "aws-actions/configure-aws-credentials@").with);
            delete aws["role-to-assume"];
            aws["aws-access-key-id"] = "${{ secrets.AWS_ACCESS_KEY_ID }}";
            aws["aws-secret-access-key"] = "${{ secrets.AWS_SECRET_ACCESS_KEY }}";
        });
        expectProblem(problems, /without role-to-assume/);
        expectProblem(problems, /long-lived AWS keys/);
    });

    it("pull-request: AWS keys sneaked in through env", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            job(doc, "preview").env = { AWS_SECRET_ACCESS_KEY: "${{ secrets.KEY }}" };
        });
        expectProblem(problems, /long-lived AWS keys/);
    });

    it("pull-request: id-token permission dropped", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete asDict(job(doc, "preview").permissions)["id-token"];
        });
        expectProblem(problems, /id-token: write/);
    });

    it("pull-request: preview job also running for forks", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            delete job(doc, "preview").if;
        });
        expectProblem(problems, /not limited to same-repository PRs/);
    });

    it("pull-request: fork job touching secrets or skipping npm run check", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            const fork = job(doc, "fork-check");
            fork.env = { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" };
            fork.steps = steps(doc, "fork-check").filter((s) => !NPM_CHECK.test(optString(s.run) ?? ""));
        });
        expectProblem(problems, /fork job references secrets/);
        expectProblem(problems, /npm run check/);
    });

    it("pull-request: the pack is no longer built before the preview", () => {
        const problems = problemsAfter("pull-request.yml", (doc) => {
            job(doc, "preview").steps = steps(doc, "preview").filter((s) => optString(s.run) !== "npm run build");
        });
        expectProblem(problems, /preview.*policy pack is not built/);
    });

    it("deploy: back on Node 20, past its end of life", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            asDict(stepUsing(doc, "deploy-dev", "actions/setup-node@").with)["node-version"] = 20;
        });
        expectProblem(problems, /deploy-dev: setup-node should use a supported node-version/);
    });

    it("deploy: prod no longer waits for dev", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            job(doc, "deploy-prod").needs = ["test"];
        });
        expectProblem(problems, /must list the dev job/);
    });

    it("deploy: prod without environment", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            delete job(doc, "deploy-prod").environment;
        });
        expectProblem(problems, /no environment/);
    });

    it("deploy: pack dropped from the prod update", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            delete asDict(stepUsing(doc, "deploy-prod", "pulumi/actions@").with).policyPacks;
        });
        expectProblem(problems, /deploy-prod.*policyPacks/);
    });

    it("deploy: cancel-in-progress turned on", () => {
        const problems = problemsAfter("deploy.yml", (doc) => {
            asDict(doc.concurrency)["cancel-in-progress"] = true;
        });
        expectProblem(problems, /cancelled in progress/);
    });

    it("policy-publish: triggered by branches instead of tags", () => {
        const problems = problemsAfter("policy-publish.yml", (doc) => {
            doc.on = { push: { branches: ["main"] } };
        });
        expectProblem(problems, /not triggered on tag pushes/);
    });

    it("policy-publish: version check removed", () => {
        const problems = problemsAfter("policy-publish.yml", (doc) => {
            job(doc, "publish").steps = steps(doc, "publish").filter(
                (s) => !/package\.json/.test(optString(s.run) ?? ""),
            );
        });
        expectProblem(problems, /tag matches policy-pack\/package\.json/);
    });

    it("policy-publish: publish step removed", () => {
        const problems = problemsAfter("policy-publish.yml", (doc) => {
            job(doc, "publish").steps = steps(doc, "publish").filter(
                (s) => !/policy publish/.test(optString(s.run) ?? ""),
            );
        });
        expectProblem(problems, /pulumi policy publish/);
    });
});
