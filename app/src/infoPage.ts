// The /info page: which CPU and runtime answered it, and a live view of which architecture answers `/` as the
// browser asks again and again, so a traffic shift through the load balancer shows while it happens.
import { describeCpu, RUNTIME_NAMES, RuntimeKind } from "./runtime";

/** What the page says about the process that rendered it. */
export interface PageFacts {
    architecture: string;
    runtime: RuntimeKind;
    platform: string;
    node: string;
    hostname: string;
    uptime: number;
}

/** How the live view polls: every `intervalMs`, keeping the last `window` answers. */
export interface LiveViewSettings {
    window: number;
    intervalMs: number;
}

export const liveViewDefaults: LiveViewSettings = { window: 20, intervalMs: 1000 };
const limits = { window: [2, 500], intervalMs: [100, 60_000] } as const;

/** Reads `?window=<n>&interval=<ms>`; a missing, malformed or out-of-range value keeps the default. */
export function liveViewSettings(query: URLSearchParams): LiveViewSettings {
    const read = (name: string, key: keyof LiveViewSettings): number => {
        const text = query.get(name) ?? "";
        const value = Number(text);
        const [min, max] = limits[key];
        return /^\d+$/.test(text) && value >= min && value <= max ? value : liveViewDefaults[key];
    };
    return { window: read("window", "window"), intervalMs: read("interval", "intervalMs") };
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
      :root { color-scheme: light dark; --arm: #ff9900; --x86: #3b82f6; font-family: system-ui, sans-serif; }
      body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem; line-height: 1.45; }
      .label { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; opacity: .7; }
      h1 { margin: .2rem 0; font-size: 2.4rem; }
      h1[data-architecture="arm64"] { color: var(--arm); }
      h1[data-architecture="x64"] { color: var(--x86); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; }
      dt { opacity: .7; }
      dd { margin: 0; font-family: ui-monospace, monospace; }
      .bar { display: flex; height: 1.6rem; border-radius: .4rem; overflow: hidden; background: #8884; }
      .bar span { transition: width .4s; }
      #bar-arm64 { background: var(--arm); }
      #bar-x64 { background: var(--x86); }
      table { border-collapse: collapse; margin: .8rem 0; }
      th, td { padding: .2rem .9rem .2rem 0; text-align: left; }
      #recent { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; padding: 0; }
      #recent li { width: .9rem; height: .9rem; border-radius: 50%; background: #8886; }
      #recent li[data-architecture="arm64"] { background: var(--arm); }
      #recent li[data-architecture="x64"] { background: var(--x86); }`;

// Runs in the browser: no build step, so plain JavaScript. Cookies are left out of every request ("omit"), so
// the load balancer's stickiness cookie never pins the browser to one architecture.
const SCRIPT = `
      (function () {
        var settings = JSON.parse(document.getElementById("live-settings").textContent);
        var answers = [];
        var failures = 0;
        function render(note) {
          var counts = { x64: 0, arm64: 0, other: 0 };
          answers.forEach(function (answer) {
            counts[answer.architecture in counts ? answer.architecture : "other"] += 1;
          });
          ["x64", "arm64", "other"].forEach(function (architecture) {
            var share = answers.length === 0 ? 0 : Math.round((100 * counts[architecture]) / answers.length);
            var row = document.querySelector('#shares tr[data-architecture="' + architecture + '"]');
            row.querySelector(".count").textContent = String(counts[architecture]);
            row.querySelector(".share").textContent = share + "%";
            row.dataset.count = String(counts[architecture]);
            row.dataset.share = String(share);
            var bar = document.getElementById("bar-" + architecture);
            if (bar) { bar.style.width = share + "%"; }
          });
          var recent = document.getElementById("recent");
          recent.textContent = "";
          answers.forEach(function (answer) {
            var dot = document.createElement("li");
            dot.dataset.architecture = answer.architecture;
            dot.title = answer.architecture + " from " + answer.hostname;
            recent.appendChild(dot);
          });
          var status = document.getElementById("status");
          status.dataset.answers = String(answers.length);
          status.textContent = answers.length + " of the last " + settings.window + " answers shown" +
            (failures > 0 ? "; " + failures + " requests failed" : "") + (note ? " (" + note + ")" : "");
        }
        function poll() {
          fetch("/", { credentials: "omit", cache: "no-store", headers: { accept: "application/json" } })
            .then(function (response) {
              if (!response.ok) { throw new Error("HTTP " + response.status); }
              return response.json();
            })
            .then(function (body) {
              answers.push({ architecture: String(body.architecture), hostname: String(body.hostname) });
              while (answers.length > settings.window) { answers.shift(); }
              render();
            }, function (error) {
              failures += 1;
              render(String(error && error.message ? error.message : error));
            })
            .then(function () { setTimeout(poll, settings.intervalMs); });
        }
        render();
        poll();
      })();`;

/** The page, self-contained: no script, style or font from anywhere else. */
export function renderInfoPage(facts: PageFacts, live: LiveViewSettings): string {
    const cpu = escapeHtml(describeCpu(facts.architecture, facts.runtime));
    const runtimeName = escapeHtml(RUNTIME_NAMES[facts.runtime]);
    const detail = (label: string, value: string) => `        <dt>${label}</dt><dd>${escapeHtml(value)}</dd>`;
    const row = (architecture: string, label: string) =>
        `          <tr data-architecture="${architecture}" data-count="0" data-share="0"><th>${label}</th><td class="count">0</td><td class="share">0%</td></tr>`;
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
      </dl>
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Who answers now</h2>
        <p>This page asks <code>/</code> every ${live.intervalMs} ms without cookies, so the load balancer picks a
          target afresh each time, and counts the last ${live.window} answers by architecture.</p>
        <div class="bar" role="img" aria-label="share of answers by architecture">
          <span id="bar-x64" style="width: 0%"></span><span id="bar-arm64" style="width: 0%"></span>
        </div>
        <table id="shares">
${row("x64", "x86_64")}
${row("arm64", "arm64 (Graviton on AWS)")}
${row("other", "other")}
        </table>
        <p id="status" aria-live="polite" data-answers="0">waiting for the first answer</p>
        <ol id="recent"></ol>
      </section>
    </main>
    <script type="application/json" id="live-settings">${JSON.stringify(live)}</script>
    <script>${SCRIPT}
    </script>
  </body>
</html>
`;
}
