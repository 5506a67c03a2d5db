// The /info page in a real browser: Debian's chromium, headless, driven by playwright-core. The page comes from
// the real app, which reads its image from a stand-in for the ECS task metadata endpoint; `/` and
// `/info/share.json` come from a stand-in for the load balancer, which decides which architecture "answers" and how
// slowly, and answers the configured share as the program's fixed-response rule does.
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import { Browser, chromium, Page } from "playwright-core";

import { CONFIGURED_SHARE_PATH, configuredShareBody } from "../../app/src/configuredShare";
import { describeCpu } from "../../app/src/runtime";
import { describeRuntime, start, StartedServer } from "../../app/src/server";

/** Where Debian's package puts the browser (tests/browser/install-chromium.sh installs it); CHROMIUM overrides. */
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Set to a path (docs/info.png) to save the page as the docs show it, once both architectures have answered. */
const screenshotPath = process.env.INFO_SCREENSHOT;

/** What the stand-in metadata endpoint says the page's own task runs (ECS Developer Guide, task metadata v4). */
const taskImage = {
    Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/graviton-multiarch-app@sha256:" + "c".repeat(64),
    ImageID: "sha256:" + "d".repeat(64),
};
/** The digest each architecture's tasks answer `/` with, and how long each takes to answer. */
const answering = {
    x64: { digest: "sha256:" + "1".repeat(64), delayMs: 5 },
    arm64: { digest: "sha256:" + "2".repeat(64), delayMs: 150 },
} as const;
const armTrafficPercent = 30;

type Mode = "x86 only" | "weighted";

async function listen(server: http.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
}

function close(server: http.Server): Promise<void> {
    return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
}

/**
 * In front of the app, as the ALB is: `/info` is the app's own page, `/info/share.json` the configured weights, and
 * `/` answers as the targets would, by `mode`: in "weighted", 3 of every 10 answers come from arm64, as a 30% weight
 * would send them. Like the ALB with stickiness on, every answer sets a cookie; a browser that sent it back would be
 * pinned.
 */
interface Front {
    port: number;
    mode: Mode;
    /** Requests to `/` that carried a Cookie header. */
    cookiesSent: number;
    rootRequests: number;
    close(): Promise<void>;
}

async function frontOf(app: StartedServer, env: NodeJS.ProcessEnv): Promise<Front> {
    const state = { mode: "x86 only" as Mode, cookiesSent: 0, rootRequests: 0, turn: 0 };
    const stickiness = "AWSALBTG=pinned-to-one-target-group; Path=/";
    const server = http.createServer((req, res) => {
        const path = (req.url ?? "/").split("?")[0];
        if (path === CONFIGURED_SHARE_PATH) {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(configuredShareBody(armTrafficPercent));
            return;
        }
        if (path === "/") {
            state.rootRequests += 1;
            state.cookiesSent += req.headers.cookie === undefined ? 0 : 1;
            state.turn += 1;
            const architecture = state.mode === "weighted" && [2, 5, 8].includes(state.turn % 10) ? "arm64" : "x64";
            const body = JSON.stringify({
                ...describeRuntime(env),
                architecture,
                hostname: `ip-${architecture}`,
                image: { reference: taskImage.Image, digest: answering[architecture].digest, source: "test" },
            });
            setTimeout(() => {
                res.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": stickiness });
                res.end(body);
            }, answering[architecture].delayMs);
            return;
        }
        const upstream = http.get({ host: "127.0.0.1", port: app.port, path: req.url, agent: false }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "set-cookie": stickiness });
            answer.pipe(res);
        });
        upstream.on("error", () => res.writeHead(502).end());
    });
    const port = await listen(server);
    return {
        port,
        get mode() {
            return state.mode;
        },
        set mode(mode: Mode) {
            state.mode = mode;
        },
        get cookiesSent() {
            return state.cookiesSent;
        },
        get rootRequests() {
            return state.rootRequests;
        },
        close: () => close(server),
    };
}

/** One architecture's row of the live view, as the page shows it. */
function shown(page: Page, architecture: "x64" | "arm64") {
    return page.$eval(`#shares tr[data-architecture="${architecture}"]`, (row) => {
        const data = (row as HTMLElement).dataset;
        return {
            count: Number(data.count),
            share: Number(data.share),
            configured: data.configured,
            p50: data.p50 === "" ? null : Number(data.p50),
            p95: data.p95 === "" ? null : Number(data.p95),
            digests: data.digests,
        };
    });
}

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.replace(/\s+/g, " ").trim();

describe("/info in headless Chromium", function () {
    let metadata: http.Server;
    let app: StartedServer;
    let front: Front;
    let browser: Browser;
    let page: Page;

    before(async function () {
        if (!fs.existsSync(chromiumPath)) {
            throw new Error(
                `no browser at ${chromiumPath}: run tests/browser/install-chromium.sh as root, or set CHROMIUM`,
            );
        }
        metadata = http.createServer((req, res) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ DockerId: "0123456789abcdef-1234567890", Name: "app", ...taskImage }));
        });
        // The environment ECS gives a Fargate task (ECS Developer Guide, "Amazon ECS environment variables").
        const env = {
            ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${await listen(metadata)}/v4/0123456789abcdef-1234567890`,
            AWS_EXECUTION_ENV: "AWS_ECS_FARGATE",
        };
        app = await start(0, () => undefined, { env });
        front = await frontOf(app, env);
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });
        page = await browser.newPage({ viewport: { width: 900, height: 900 } });
        await page.goto(`http://127.0.0.1:${front.port}/info?interval=100&window=10`);
    });

    after(async () => {
        await browser?.close();
        await front?.close();
        await app?.stop();
        if (metadata) {
            await close(metadata);
        }
    });

    it("names, in words, the CPU and the runtime that answered the page", async () => {
        assert.strictEqual(await page.textContent("#cpu"), describeCpu(os.arch(), "ecs-fargate"));
        assert.strictEqual(await page.title(), `Answered by ${describeCpu(os.arch(), "ecs-fargate")}`);
        assert.strictEqual(await text(page, "#runtime"), "running on Amazon ECS on AWS Fargate");
    });

    it("shows the image reference and digest the task metadata endpoint gives the answering task", async () => {
        assert.strictEqual(await page.textContent("#image"), taskImage.Image);
        assert.strictEqual(await page.textContent("#digest"), taskImage.ImageID);
    });

    it("has a colour legend whose swatches are the colours of the bars and dots", async () => {
        const colour = (selector: string) =>
            page.$eval(selector, (element) => getComputedStyle(element).backgroundColor);
        assert.deepStrictEqual(await page.$$eval("#legend li", (items) => items.map((item) => item.textContent)), [
            "x86_64",
            "arm64 (Graviton on AWS)",
            "other",
        ]);
        assert.strictEqual(await colour('#legend [data-architecture="x64"] .swatch'), await colour("#bar-x64"));
        assert.strictEqual(await colour('#legend [data-architecture="arm64"] .swatch'), await colour("#bar-arm64"));
        assert.notStrictEqual(await colour("#bar-x64"), await colour("#bar-arm64"));
    });

    it("shows the share the load balancer is configured to send each architecture", async () => {
        await page.waitForSelector('#configured-status[data-known="true"]');
        assert.strictEqual(
            await text(page, "#configured-status"),
            "The load balancer is configured to send 30% of requests to arm64 and 70% to x86_64.",
        );
        assert.strictEqual((await shown(page, "arm64")).configured, "30");
        assert.strictEqual((await shown(page, "x64")).configured, "70");
        assert.strictEqual(await page.$eval("#configured-bar-arm64", (bar) => (bar as HTMLElement).style.width), "30%");
    });

    it("shows every answer from x86 while only x86 answers", async () => {
        await page.waitForSelector('#status[data-answers="10"]');
        const x86 = await shown(page, "x64");
        assert.deepStrictEqual([x86.count, x86.share, x86.digests], [10, 100, answering.x64.digest]);
        assert.strictEqual((await shown(page, "arm64")).share, 0);
        assert.strictEqual((await shown(page, "arm64")).p50, null);
        assert.strictEqual(await page.$eval("#bar-x64", (bar) => (bar as HTMLElement).style.width), "100%");
    });

    it("shows the observed share meet the configured one once arm64 answers its 30%, each with its digest", async () => {
        front.mode = "weighted";
        await page.waitForFunction(
            () => document.querySelector<HTMLElement>('#shares tr[data-architecture="arm64"]')?.dataset.share === "30",
        );
        const [x86, arm] = [await shown(page, "x64"), await shown(page, "arm64")];
        assert.deepStrictEqual([x86.count, x86.share, x86.configured], [7, 70, "70"]);
        assert.deepStrictEqual([arm.count, arm.share, arm.configured], [3, 30, "30"]);
        assert.strictEqual(arm.digests, answering.arm64.digest);
        assert.strictEqual(await page.$eval("#bar-arm64", (bar) => (bar as HTMLElement).style.width), "30%");
        assert.strictEqual(await page.locator('#recent li[data-architecture="arm64"]').count(), 3);
    });

    it("times each architecture's answers: p50 and p95 over the window, the slower one slower", async () => {
        const [x86, arm] = [await shown(page, "x64"), await shown(page, "arm64")];
        assert.ok(arm.p50 !== null && arm.p50 >= answering.arm64.delayMs, `arm64 p50 ${arm.p50}`);
        assert.ok(arm.p95 !== null && arm.p95 >= arm.p50, `arm64 p95 ${arm.p95}`);
        assert.ok(x86.p50 !== null && x86.p50 < answering.arm64.delayMs, `x86_64 p50 ${x86.p50}`);
        assert.ok(x86.p95 !== null && x86.p95 >= x86.p50, `x86_64 p95 ${x86.p95}`);
        assert.match((await page.textContent('#shares tr[data-architecture="arm64"] .p50')) ?? "", /^\d+ ms$/);
        if (screenshotPath) {
            await page.screenshot({ path: screenshotPath, fullPage: true });
        }
    });

    it("asks without the stickiness cookie, so the load balancer may route every request afresh", () => {
        assert.ok(front.rootRequests >= 10, `only ${front.rootRequests} requests to /`);
        assert.strictEqual(front.cookiesSent, 0);
    });

    it("says so when window or interval is out of range, and where no load balancer answers the configured share", async () => {
        const direct = await browser.newPage();
        try {
            // The app on its own, as on Lambda or App Runner: nothing in front answers /info/share.json.
            await direct.goto(`http://127.0.0.1:${app.port}/info?window=1&interval=5`);
            assert.deepStrictEqual(await direct.$$eval(".notice", (notes) => notes.map((note) => note.textContent)), [
                'window="1" is not a whole number from 2 to 500; using the default, 20 answers.',
                'interval="5" is not a whole number from 100 to 60000; using the default, 1000 ms.',
            ]);
            assert.strictEqual(
                await text(direct, "#live-settings"),
                JSON.stringify({ window: 20, intervalMs: 1000, sharePath: CONFIGURED_SHARE_PATH }),
            );
            await direct.waitForFunction(() =>
                document.getElementById("configured-status")?.textContent?.startsWith("No configured share"),
            );
            assert.strictEqual(
                await text(direct, "#configured-status"),
                "No configured share here: only the load balancer in front of the ECS services answers /info/share.json (HTTP 404).",
            );
            assert.strictEqual((await shown(direct, "arm64")).configured, "");
        } finally {
            await direct.close();
        }
    });
});
