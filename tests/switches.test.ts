// What flipping each switch of a stack file does to a stack that exists, both ways, and what upgrading from the last
// releases does: two runs of the program fed through the project's model of `pulumi up` (tests/models/update.ts)
// over the providers' rules as read from their source (tests/models/providerRules.ts). It checks the project's model
// of the engine and the providers, not a real update; docs/switches.md holds the plans it computes.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan, planUpdate, Step } from "./models/update";
import {
    ConfigOverrides,
    ProgramRun,
    projectName,
    projectRoot,
    releaseCheckout,
    runProgram,
    stackRun,
} from "./harness";

const key = (name: string) => `${projectName}:${name}`;
const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const boundaryArn = "arn:aws:iam::123456789012:policy/graviton-multiarch-boundary";

interface Switch {
    /** The setting as the docs name it. */
    readonly name: string;
    readonly stack: string;
    /** The stack file's own setting, and the other one (overrides on top of the stack file). */
    readonly off: ConfigOverrides;
    readonly on: ConfigOverrides;
    /** How docs/switches.md heads the two directions when "on" and "off" would not say it (a number that moves). */
    readonly directions?: { readonly on: string; readonly off: string };
}

const switches: readonly Switch[] = [
    {
        name: "service.armTrafficPercent",
        stack: "dev",
        off: {},
        on: { [key("service.armTrafficPercent")]: 90 },
        directions: { on: "50 to 90", off: "90 to 50" },
    },
    { name: "service.armSpot", stack: "dev", off: { [key("service.armSpot")]: false }, on: {} },
    { name: "service.armSpotOnDemandBase", stack: "dev", off: {}, on: { [key("service.armSpotOnDemandBase")]: 1 } },
    {
        name: "service.certificateArn",
        stack: "prod",
        off: {},
        on: { [key("service.certificateArn")]: certificateArn, [key("service.publicHostname")]: "app.example.com" },
    },
    {
        name: "service.domainName + service.hostedZoneId",
        stack: "prod",
        off: {},
        on: { [key("service.domainName")]: "app.example.com", [key("service.hostedZoneId")]: "Z0123456789ABCDEFGHIJ" },
    },
    { name: "expressMode.enabled", stack: "dev", off: {}, on: { [key("expressMode.enabled")]: true } },
    { name: "eks.enabled", stack: "dev", off: {}, on: { [key("eks.enabled")]: true } },
    { name: "appRunner.enabled", stack: "dev", off: {}, on: { [key("appRunner.enabled")]: true } },
    { name: "monitoring.alarmEmail", stack: "dev", off: {}, on: { [key("monitoring.alarmEmail")]: "ops@example.com" } },
    {
        name: "monitoring.alarmTopicArn",
        stack: "prod",
        off: {},
        on: { [key("monitoring.alarmTopicArn")]: "arn:aws:sns:us-east-1:123456789012:ops-alarms" },
    },
    {
        name: "iam.permissionsBoundaryArn",
        stack: "prod",
        off: {},
        on: { [key("iam.permissionsBoundaryArn")]: boundaryArn },
    },
];

const runs = new Map<string, Promise<ProgramRun>>();

/** The program for a stack with overrides, run once per file: several plans start from the same setting. */
function runOf(stack: string, config: ConfigOverrides): Promise<ProgramRun> {
    if (Object.keys(config).length === 0) {
        return stackRun(stack);
    }
    const id = `${stack} ${JSON.stringify(config)}`;
    let run = runs.get(id);
    if (run === undefined) {
        run = runProgram(stack, { config });
        runs.set(id, run);
    }
    return run;
}

/**
 * Releases a stack may still be on: the project has no tags, so each is the commit that landed. The first predates
 * Fargate Spot, so its ARM service runs on the FARGATE launch type.
 */
const releases = [
    { commit: "e19b8ca5a2739fa885c7864b81b21d93d514d39f", name: "2026-11-21 (before Fargate Spot)" },
    { commit: "caec683dc37e69e2c6e7d99c632c4806cff8720f", name: "2026-12-02" },
] as const;

/** Resources that hold data or an address users reach: replacing one loses it, so docs/upgrading.md must say so. */
const lastingTypes = new Set([
    "aws:ecr/repository:Repository",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:ecs/cluster:Cluster",
    "aws:eks/cluster:Cluster",
    "aws:acm/certificate:Certificate",
    "aws:lambda/functionUrl:FunctionUrl",
    "aws:apprunner/service:Service",
    "aws:ecs/expressGatewayService:ExpressGatewayService",
]);

/** The upgrade notes: the page that names each lasting resource an update replaces or deletes. */
const upgradeNotes = fs.readFileSync(path.join(projectRoot, "docs", "upgrading.md"), "utf8");

const shown = (step: Step) => `${step.kind} ${step.type} ${step.name}${step.reason ? ` (${step.reason})` : ""}`;

/**
 * The checks every plan passes: each changed argument has a looked-up rule, nothing fails, and docs/upgrading.md
 * announces each lasting resource replaced (or, on an upgrade, deleted: a switch turned off deletes its own parts by
 * intent).
 */
function assertSafe(plan: Plan, what: string, lossKinds: readonly Step["kind"][] = ["replace"]): void {
    assert.deepStrictEqual(
        plan.unknownRules,
        [],
        `${what}: arguments change whose provider rule is not in tests/models/providerRules.ts`,
    );
    assert.deepStrictEqual(
        plan.steps.filter((step) => step.kind === "fail").map(shown),
        [],
        `${what}: the provider's diff fails`,
    );
    const unannounced = plan.steps.filter(
        (step) =>
            lossKinds.includes(step.kind) &&
            lastingTypes.has(step.type) &&
            !upgradeNotes.includes(`\`${step.name}\` (${step.type.split(":")[1]})`),
    );
    assert.deepStrictEqual(unannounced.map(shown), [], `${what}: docs/upgrading.md must name these`);
}

const isLost = (step: Step) => step.kind === "delete" && lastingTypes.has(step.type);

/** A table row as docs/switches.md holds it, without Prettier's padding: step, resource, arguments. */
function row(kind: string, type: string, name: string, changed: readonly string[]): string {
    return [kind, `\`${type}\` ${name}`, changed.join(", ")].join(" | ");
}

/**
 * The plan as docs/switches.md lists it: every update, replacement and failure, and on an upgrade also the deletes
 * of lasting resources (a switch's own parts coming and going are only counted there).
 */
function rows(plan: Plan, lostToo = false): string[] {
    return plan.steps
        .filter((step) => (step.kind !== "create" && step.kind !== "delete") || (lostToo && isLost(step)))
        .map((step) =>
            row(step.kind, step.type, step.name, step.changed.length > 0 ? step.changed : [step.reason ?? ""]),
        )
        .sort();
}

const switchesDoc = fs.readFileSync(path.join(projectRoot, "docs", "switches.md"), "utf8");

/** The table rows of docs/switches.md under a heading, up to the next heading. */
function documented(heading: string): string[] {
    const start = switchesDoc.indexOf(`\n### ${heading}\n`);
    assert.ok(start >= 0, `docs/switches.md has no "### ${heading}" section`);
    const end = switchesDoc.indexOf("\n#", start + heading.length + 6);
    return switchesDoc
        .slice(start, end < 0 ? undefined : end)
        .split("\n")
        .map((line) =>
            line
                .split("|")
                .slice(1, -1)
                .map((cell) => cell.trim()),
        )
        .filter((cells) => ["update", "replace", "fail", "delete"].includes(cells[0]))
        .map((cells) => cells.join(" | "))
        .sort();
}

describe("every switch of a stack file, flipped on a stack that exists", () => {
    for (const flip of switches) {
        describe(`${flip.name} (${flip.stack})`, () => {
            let off: ProgramRun;
            let on: ProgramRun;
            before(async () => {
                off = await runOf(flip.stack, flip.off);
                on = await runOf(flip.stack, flip.on);
            });

            for (const [direction, from, to] of [
                ["on", () => off, () => on],
                ["off", () => on, () => off],
            ] as const) {
                const heading = `${flip.name}: ${flip.directions?.[direction] ?? direction}`;
                it(`turns ${direction} in one update, as docs/switches.md says`, () => {
                    const plan = planUpdate(from(), to());
                    assertSafe(plan, `${flip.name} ${direction}`);
                    assert.deepStrictEqual(rows(plan), documented(heading));
                });
            }
        });
    }

    it("moves traffic between the architectures by updating the listener's weights and the share rule only", async () => {
        const share = (percent: number) => ({ [key("service.armTrafficPercent")]: percent });
        const https = {
            [key("service.certificateArn")]: certificateArn,
            [key("service.publicHostname")]: "app.example.com",
        };
        const cases = [
            { stack: "dev", from: {}, to: share(90), listener: "web" },
            { stack: "dev", from: share(90), to: share(0), listener: "web" },
            { stack: "prod", from: https, to: { ...https, ...share(100) }, listener: "web-https" },
        ];
        for (const { stack, from, to, listener } of cases) {
            const plan = planUpdate(await runOf(stack, from), await runOf(stack, to));
            assert.deepStrictEqual(
                plan.steps.map((step) => `${shown(step)}: ${step.changed.join(", ")}`),
                [
                    `update aws:lb/listener:Listener ${listener}: defaultActions`,
                    "update aws:lb/listenerRule:ListenerRule web-share: actions",
                ],
                `${stack} ${JSON.stringify(to)}`,
            );
        }
    });

    it("moves the ARM service between Spot and on-demand Fargate by an in-place update only", async () => {
        const spot = await runOf("dev", {});
        const onDemand = await runOf("dev", { [key("service.armSpot")]: false });
        const withBase = await runOf("dev", { [key("service.armSpotOnDemandBase")]: 2 });
        for (const [from, to] of [
            [spot, onDemand],
            [onDemand, spot],
            [spot, withBase],
            [withBase, onDemand],
        ]) {
            // The dashboard's price view follows the ARM task-hour price; nothing else but the service changes.
            const steps = planUpdate(from, to).steps.filter(
                (step) => step.type !== "aws:cloudwatch/dashboard:Dashboard",
            );
            assert.deepStrictEqual(steps.map(shown), ["update aws:ecs/service:Service web-arm"]);
        }
    });
});

describe("upgrading a stack from an earlier release", () => {
    let scratch: string;
    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "releases-"));
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    /** Each release with each stack file as it was, and the last release with every optional feature turned on. */
    const upgrades = [
        ...releases.flatMap((release) => ["dev", "prod"].map((stack) => ({ release, stack, features: "" }))),
        { release: releases[releases.length - 1], stack: "dev", features: " with every optional feature on" },
    ];
    const everyFeature: ConfigOverrides = {
        // The release has no monitoring settings, and would refuse them.
        ...switches
            .filter((flip) => !flip.name.startsWith("monitoring."))
            .reduce((all, flip) => ({ ...all, ...flip.on }), {}),
        // The two ways to HTTPS exclude each other; the domain is the one with more parts.
        [key("service.certificateArn")]: undefined,
        [key("service.publicHostname")]: undefined,
    };

    for (const { release, stack, features } of upgrades) {
        const heading = `${stack} from ${release.commit.slice(0, 7)}${features}`;
        it(`${stack} from ${release.name} (${release.commit.slice(0, 7)})${features}, as docs/switches.md says`, async () => {
            const checkout = path.join(scratch, release.commit);
            if (!fs.existsSync(checkout)) {
                releaseCheckout(release.commit, checkout);
            }
            const config = features === "" ? undefined : everyFeature;
            const plan = planUpdate(await runProgram(stack, { checkout, config }), await runOf(stack, config ?? {}));
            assertSafe(plan, heading, ["replace", "delete"]);
            assert.deepStrictEqual(rows(plan, true), documented(heading));
        });
    }
});
