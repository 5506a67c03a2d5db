// The /info page: which CPU, runtime and image answered it, and a live view of which architecture answers `/` as
// the browser asks again and again, beside the share the load balancer is configured to send each, so a traffic
// shift shows while it happens, with how fast each architecture answers.
import { CONFIGURED_SHARE_PATH } from "./configuredShare";
import { ImageFacts } from "./imageFacts";
import { describeCpu, RUNTIME_NAMES, RuntimeKind } from "./runtime";

/** What the page says about the process that rendered it. */
export interface PageFacts {
    architecture: string;
    runtime: RuntimeKind;
    platform: string;
    node: string;
    hostname: string;
    uptime: number;
    image: ImageFacts;
}

/** How the live view polls: every `intervalMs`, keeping the last `window` answers. */
export interface LiveViewSettings {
    window: number;
    intervalMs: number;
}

/** The settings the page runs with, and a sentence for each query value it could not take. */
export interface LiveView {
    settings: LiveViewSettings;
    problems: string[];
}

export const liveViewDefaults: LiveViewSettings = { window: 20, intervalMs: 1000 };
const limits = {
    window: { name: "window", min: 2, max: 500, unit: "answers" },
    intervalMs: { name: "interval", min: 100, max: 60_000, unit: "ms" },
} as const;

/** Reads `?window=<n>&interval=<ms>`; a value outside its range keeps the default and says so. */
export function readLiveView(query: URLSearchParams): LiveView {
    const problems: string[] = [];
    const read = (key: keyof LiveViewSettings): number => {
        const { name, min, max, unit } = limits[key];
        const text = query.get(name);
        if (text === null) {
            return liveViewDefaults[key];
        }
        const value = Number(text);
        if (/^\d+$/.test(text) && value >= min && value <= max) {
            return value;
        }
        problems.push(
            `${name}=${JSON.stringify(text)} is not a whole number from ${min} to ${max}; ` +
                `using the default, ${liveViewDefaults[key]} ${unit}.`,
        );
        return liveViewDefaults[key];
    };
    return { settings: { window: read("window"), intervalMs: read("intervalMs") }, problems };
}

/**
 * The nearest-rank percentile (`fraction` 0.5 for p50) of some numbers, or null for none. Also runs in the browser,
 * copied into the page's script as it is, so it refers to nothing outside itself.
 */
export function percentile(values: readonly number[], fraction: number): number | null {
    if (values.length === 0) {
        return null;
    }
    const sorted = values.slice().sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(fraction * sorted.length));
    return sorted[rank - 1];
}

const HTML_ESCAPES: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
};

export function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

const STYLE = `
      :root { color-scheme: light dark; --arm: #ff9900; --x86: #3b82f6; --other: #8886; font-family: system-ui, sans-serif; }
      body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.25rem; line-height: 1.45; }
      .label { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; opacity: .7; }
      h1 { margin: .2rem 0; font-size: 2.4rem; }
      h1[data-architecture="arm64"] { color: var(--arm); }
      h1[data-architecture="x64"] { color: var(--x86); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; }
      dt { opacity: .7; }
      dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
      .notice { border-left: .3rem solid #d97706; padding: .3rem .8rem; background: #d9770622; }
      #legend { display: flex; gap: 1.2rem; list-style: none; padding: 0; font-size: .9rem; }
      .swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: .2rem; margin-right: .35rem; vertical-align: -.1rem; }
      [data-architecture="x64"] > .swatch { background: var(--x86); }
      [data-architecture="arm64"] > .swatch { background: var(--arm); }
      [data-architecture="other"] > .swatch { background: var(--other); }
      .bar { display: flex; height: 1.6rem; border-radius: .4rem; overflow: hidden; background: #8884; }
      .bar span { transition: width .4s; }
      #bar-arm64 { background: var(--arm); }
      #bar-x64 { background: var(--x86); }
      #configured-bar { height: .5rem; margin-top: .25rem; }
      .caption { margin: .3rem 0 0; font-size: .8rem; opacity: .7; }
      #configured-bar-arm64 { background: var(--arm); }
      #configured-bar-x64 { background: var(--x86); }
      table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
      th, td { padding: .2rem .9rem .2rem 0; text-align: left; }
      td.number { text-align: right; font-variant-numeric: tabular-nums; }
      td.digest { font-family: ui-monospace, monospace; }
      #recent { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; padding: 0; }
      #recent li { width: .9rem; height: .9rem; border-radius: 50%; background: var(--other); }
      #recent li[data-architecture="arm64"] { background: var(--arm); }
      #recent li[data-architecture="x64"] { background: var(--x86); }`;

// Runs in the browser: no build step, so plain JavaScript. Cookies are left out of every request ("omit"), so
// the load balancer's stickiness cookie never pins the browser to one architecture. Each answer's time is taken
// with performance.now() from the request to the parsed body.
const SCRIPT = `
      (function () {
        var percentile = ${percentile.toString()};
        var settings = JSON.parse(document.getElementById("live-settings").textContent);
        var architectures = ["x64", "arm64", "other"];
        var answers = [];
        var failures = 0;
        function milliseconds(value) { return value === null ? "–" : Math.round(value) + " ms"; }
        function render(note) {
          architectures.forEach(function (architecture) {
            var mine = answers.filter(function (answer) {
              return (architectures.indexOf(answer.architecture) >= 0 ? answer.architecture : "other") === architecture;
            });
            var share = answers.length === 0 ? 0 : Math.round((100 * mine.length) / answers.length);
            var times = mine.map(function (answer) { return answer.ms; });
            var p50 = percentile(times, 0.5);
            var p95 = percentile(times, 0.95);
            var digests = mine.map(function (answer) { return answer.digest; }).filter(function (digest, index, all) {
              return digest && all.indexOf(digest) === index;
            });
            var row = document.querySelector('#shares tr[data-architecture="' + architecture + '"]');
            row.querySelector(".count").textContent = String(mine.length);
            row.querySelector(".share").textContent = share + "%";
            row.querySelector(".p50").textContent = milliseconds(p50);
            row.querySelector(".p95").textContent = milliseconds(p95);
            row.querySelector(".digest").textContent = digests.length === 0 ? "–" : digests.map(function (digest) {
              return digest.slice(0, 19) + "…";
            }).join(" ");
            row.querySelector(".digest").title = digests.join("\\n");
            row.dataset.count = String(mine.length);
            row.dataset.share = String(share);
            row.dataset.p50 = p50 === null ? "" : String(Math.round(p50));
            row.dataset.p95 = p95 === null ? "" : String(Math.round(p95));
            row.dataset.digests = digests.join(" ");
            var bar = document.getElementById("bar-" + architecture);
            if (bar) { bar.style.width = share + "%"; }
          });
          var recent = document.getElementById("recent");
          recent.textContent = "";
          answers.forEach(function (answer) {
            var dot = document.createElement("li");
            dot.dataset.architecture = answer.architecture;
            dot.title = answer.architecture + " from " + answer.hostname + " in " + Math.round(answer.ms) + " ms";
            recent.appendChild(dot);
          });
          var status = document.getElementById("status");
          status.dataset.answers = String(answers.length);
          status.textContent = answers.length + " of the last " + settings.window + " answers shown" +
            (failures > 0 ? "; " + failures + " requests failed" : "") + (note ? " (" + note + ")" : "");
        }
        function showConfigured(share, note) {
          var status = document.getElementById("configured-status");
          status.dataset.known = share ? "true" : "false";
          status.textContent = share
            ? "The load balancer is configured to send " + share.arm64 + "% of requests to arm64 and " + share.x64 +
              "% to x86_64."
            : "No configured share here: only the load balancer in front of the ECS services answers " +
              settings.sharePath + " (" + note + ").";
          architectures.forEach(function (architecture) {
            var row = document.querySelector('#shares tr[data-architecture="' + architecture + '"]');
            var value = share && architecture in share ? share[architecture] : null;
            row.querySelector(".configured").textContent = value === null ? "–" : value + "%";
            row.dataset.configured = value === null ? "" : String(value);
            var bar = document.getElementById("configured-bar-" + architecture);
            if (bar) { bar.style.width = (value || 0) + "%"; }
          });
        }
        function readConfigured() {
          fetch(settings.sharePath, { credentials: "omit", cache: "no-store" })
            .then(function (response) {
              if (!response.ok) { throw new Error("HTTP " + response.status); }
              return response.json();
            })
            .then(function (body) {
              if (typeof body.x64 !== "number" || typeof body.arm64 !== "number") {
                throw new Error("the answer names no share per architecture");
              }
              showConfigured(body);
            }, function (error) {
              showConfigured(null, String(error && error.message ? error.message : error));
            })
            .then(function () { setTimeout(readConfigured, Math.max(settings.intervalMs, 5000)); });
        }
        function poll() {
          var started = performance.now();
          fetch("/", { credentials: "omit", cache: "no-store", headers: { accept: "application/json" } })
            .then(function (response) {
              if (!response.ok) { throw new Error("HTTP " + response.status); }
              return response.json();
            })
            .then(function (body) {
              answers.push({
                architecture: String(body.architecture),
                hostname: String(body.hostname),
                digest: body.image && typeof body.image.digest === "string" ? body.image.digest : null,
                ms: performance.now() - started
              });
              while (answers.length > settings.window) { answers.shift(); }
              render();
            }, function (error) {
              failures += 1;
              render(String(error && error.message ? error.message : error));
            })
            .then(function () { setTimeout(poll, settings.intervalMs); });
        }
        render();
        readConfigured();
        poll();
      })();`;

const LABELS = { x64: "x86_64", arm64: "arm64 (Graviton on AWS)", other: "other" } as const;

/** The page, self-contained: no script, style or font from anywhere else. */
export function renderInfoPage(facts: PageFacts, live: LiveView): string {
    const { settings } = live;
    const cpu = escapeHtml(describeCpu(facts.architecture, facts.runtime));
    const runtimeName = escapeHtml(RUNTIME_NAMES[facts.runtime]);
    const detail = (label: string, value: string, id = "") =>
        `        <dt>${label}</dt><dd${id ? ` id="${id}"` : ""}>${escapeHtml(value)}</dd>`;
    const architectures = Object.keys(LABELS) as (keyof typeof LABELS)[];
    const legend = architectures
        .map((arch) => `          <li data-architecture="${arch}"><span class="swatch"></span>${LABELS[arch]}</li>`)
        .join("\n");
    const rows = architectures
        .map(
            (arch) =>
                `          <tr data-architecture="${arch}" data-count="0" data-share="0"><th>${LABELS[arch]}</th>` +
                `<td class="count number">0</td><td class="share number">0%</td><td class="configured number">–</td>` +
                `<td class="p50 number">–</td><td class="p95 number">–</td><td class="digest">–</td></tr>`,
        )
        .join("\n");
    const problems = live.problems
        .map((problem) => `        <p class="notice" role="alert">${escapeHtml(problem)}</p>`)
        .join("\n");
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Answered by ${cpu}</title>
    <style>${STYLE}
    </style>
  </head>
  <body>
    <main>
      <p class="label">This page was answered by</p>
      <h1 id="cpu" data-architecture="${escapeHtml(facts.architecture)}">${cpu}</h1>
      <p id="runtime" data-runtime="${facts.runtime}">running on <strong>${runtimeName}</strong></p>
      <dl>
${detail("architecture", facts.architecture)}
${detail("platform", facts.platform)}
${detail("node", facts.node)}
${detail("host", facts.hostname)}
${detail("uptime", `${Math.round(facts.uptime)} s`)}
${detail("image", facts.image.reference ?? facts.image.source, "image")}
${detail("digest", facts.image.digest ?? facts.image.source, "digest")}
      </dl>
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Who answers now</h2>
${problems}
        <p>This page asks <code>/</code> every ${settings.intervalMs} ms without cookies, so the load balancer picks a
          target afresh each time, and counts the last ${settings.window} answers by architecture, timing each.</p>
        <ul id="legend" aria-label="colours">
${legend}
        </ul>
        <div class="bar" role="img" aria-label="observed share of answers by architecture">
          <span id="bar-x64" style="width: 0%"></span><span id="bar-arm64" style="width: 0%"></span>
        </div>
        <div class="bar" id="configured-bar" role="img" aria-label="configured share by architecture">
          <span id="configured-bar-x64" style="width: 0%"></span><span id="configured-bar-arm64" style="width: 0%"></span>
        </div>
        <p class="caption">Upper bar: the answers observed; lower bar: the share the load balancer is configured to send.</p>
        <p id="configured-status" data-known="false">asking the load balancer for the configured share</p>
        <table id="shares">
          <tr><th>architecture</th><th>answers</th><th>observed</th><th>configured</th><th>p50</th><th>p95</th><th>image digest</th></tr>
${rows}
        </table>
        <p id="status" aria-live="polite" data-answers="0">waiting for the first answer</p>
        <ol id="recent"></ol>
      </section>
    </main>
    <script type="application/json" id="live-settings">${JSON.stringify({ ...settings, sharePath: CONFIGURED_SHARE_PATH })}</script>
    <script>${SCRIPT}
    </script>
  </body>
</html>
`;
}
