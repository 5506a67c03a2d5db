// The /info page in a real browser: Debian's chromium, headless, driven by playwright-core. The page comes from
// the real app; `/` comes from a stand-in for the load balancer that decides which architecture "answers", so the
// live view can be watched as answers from both arrive.
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import { Browser, chromium, Page } from "playwright-core";

import { describeCpu } from "../../app/src/runtime";
import { describeRuntime, start, StartedServer } from "../../app/src/server";

/** Where Debian's package puts the browser (tests/browser/install-chromium.sh installs it); CHROMIUM overrides. */
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The environment ECS gives a Fargate task (ECS Developer Guide, "Amazon ECS environment variables"). */
const fargateEnv = {
    ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/0123456789abcdef-1234567890",
    AWS_EXECUTION_ENV: "AWS_ECS_FARGATE",
};

type Mode = "x86 only" | "alternate";

/**
 * In front of the app, as the ALB is: `/info` is the app's own page, `/` answers as the targets would, by `mode`.
 * Like the ALB with stickiness on, every answer sets a cookie; a browser that sent it back would be pinned.
 */
interface Front {
    port: number;
    mode: Mode;
    /** Requests to `/` that carried a Cookie header. */
    cookiesSent: number;
    rootRequests: number;
    close(): Promise<void>;
}

async function frontOf(app: StartedServer): Promise<Front> {
    const state = { mode: "x86 only" as Mode, cookiesSent: 0, rootRequests: 0, turn: 0 };
    const stickiness = "AWSALBTG=pinned-to-one-target-group; Path=/";
    const server = http.createServer((req, res) => {
        const path = (req.url ?? "/").split("?")[0];
        if (path === "/") {
            state.rootRequests += 1;
            state.cookiesSent += req.headers.cookie === undefined ? 0 : 1;
            state.turn += 1;
            const architecture = state.mode === "alternate" && state.turn % 2 === 0 ? "arm64" : "x64";
            const body = JSON.stringify({
                ...describeRuntime(fargateEnv),
                architecture,
                hostname: `ip-${architecture}`,
            });
            res.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": stickiness });
            res.end(body);
            return;
        }
        const upstream = http.get({ host: "127.0.0.1", port: app.port, path: req.url, agent: false }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "set-cookie": stickiness });
            answer.pipe(res);
        });
        upstream.on("error", () => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as AddressInfo).port,
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
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** The live view's count and share of one architecture, as the page shows them. */
function shown(page: Page, architecture: "x64" | "arm64") {
    return page.$eval(`#shares tr[data-architecture="${architecture}"]`, (row) => ({
        count: Number((row as HTMLElement).dataset.count),
        share: Number((row as HTMLElement).dataset.share),
        text: Array.from(row.children, (cell) => cell.textContent).join(" "),
    }));
}

describe("/info in headless Chromium", function () {
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
        app = await start(0, () => undefined, { env: fargateEnv });
        front = await frontOf(app);
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });
        page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${front.port}/info?interval=100&window=10`);
    });

    after(async () => {
        await browser?.close();
        await front?.close();
        await app?.stop();
    });

    it("names, in words, the CPU and the runtime that answered the page", async () => {
        assert.strictEqual(await page.textContent("#cpu"), describeCpu(os.arch(), "ecs-fargate"));
        assert.strictEqual(await page.title(), `Answered by ${describeCpu(os.arch(), "ecs-fargate")}`);
        assert.strictEqual(
            (await page.textContent("#runtime"))?.replace(/\s+/g, " ").trim(),
            "running on Amazon ECS on AWS Fargate",
        );
    });

    it("shows every answer from x86 while only x86 answers", async () => {
        await page.waitForSelector('#status[data-answers="10"]');
        assert.deepStrictEqual(await shown(page, "x64"), { count: 10, share: 100, text: "x86_64 10 100%" });
        assert.deepStrictEqual((await shown(page, "arm64")).share, 0);
        assert.strictEqual(await page.$eval("#bar-x64", (bar) => (bar as HTMLElement).style.width), "100%");
    });

    it("moves to an even split over the last answers once both architectures answer in turn", async () => {
        front.mode = "alternate";
        await page.waitForFunction(() => {
            const row = document.querySelector('#shares tr[data-architecture="arm64"]') as HTMLElement | null;
            return row?.dataset.share === "50";
        });
        assert.deepStrictEqual(await shown(page, "x64"), { count: 5, share: 50, text: "x86_64 5 50%" });
        assert.deepStrictEqual(await shown(page, "arm64"), {
            count: 5,
            share: 50,
            text: "arm64 (Graviton on AWS) 5 50%",
        });
        assert.strictEqual(await page.$eval("#bar-arm64", (bar) => (bar as HTMLElement).style.width), "50%");
        assert.strictEqual(await page.locator('#recent li[data-architecture="arm64"]').count(), 5);
    });

    it("asks without the stickiness cookie, so the load balancer may route every request afresh", () => {
        assert.ok(front.rootRequests >= 20, `only ${front.rootRequests} requests to /`);
        assert.strictEqual(front.cookiesSent, 0);
    });
});
