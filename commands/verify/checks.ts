/** One row of the verify report: what was checked, whether it held, and what was found. */
export interface Check {
    name: string;
    ok: boolean;
    detail: string;
}

export function pass(name: string, detail: string): Check {
    return { name, ok: true, detail };
}

export function fail(name: string, detail: string): Check {
    return { name, ok: false, detail };
}

/** A fixed-width table: result, check, detail. */
export function formatTable(checks: readonly Check[]): string {
    const nameWidth = Math.max("check".length, ...checks.map((check) => check.name.length));
    const lines = [
        `${"result".padEnd(6)}  ${"check".padEnd(nameWidth)}  detail`,
        `${"-".repeat(6)}  ${"-".repeat(nameWidth)}  ${"-".repeat(6)}`,
    ];
    for (const check of checks) {
        lines.push(`${(check.ok ? "PASS" : "FAIL").padEnd(6)}  ${check.name.padEnd(nameWidth)}  ${check.detail}`);
    }
    return lines.join("\n");
}
