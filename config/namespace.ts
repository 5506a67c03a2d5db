// Reading one Pulumi project's stack config into a zod schema, shared by the main program (config/index.ts) and the
// bootstrap program (bootstrap/config.ts), so that both report problems the same way: the full key, the value
// found and what is allowed.
import { z } from "zod";

/** Raw stack config as `pulumi.runtime.allConfig()` holds it: `namespace:key` to text. */
export type RawConfig = Readonly<Record<string, string>>;

/** An AWS region name; the `aws:region` of a stack. */
export const regionSchema = z
    .string({ error: "expected an AWS region name like us-east-1" })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS region name like us-east-1");

/** How to read one project's namespace. */
export interface NamespaceOptions<T> {
    /** Where the settings are documented, for the message about an unknown key. */
    readonly seeAlso: string;
    /** Problems the schema cannot see, found in the parsed values (each a full `key = value: reason` line). */
    readonly check?: (data: T) => string[];
}

/**
 * Parses every `<namespace>:<key>` of the raw config with `schema`, plus `aws:region`, or throws one Error that
 * lists every problem by its full key, the value found and what is allowed.
 */
export function parseNamespace<S extends z.ZodType>(
    raw: RawConfig,
    stack: string,
    namespace: string,
    schema: S,
    options: NamespaceOptions<z.output<S>>,
): { data: z.output<S>; region: string } {
    const prefix = `${namespace}:`;
    const values: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(raw)) {
        if (fullKey.startsWith(prefix)) {
            values[fullKey.slice(prefix.length)] = readConfigValue(text);
        }
    }
    const problems: string[] = [];
    const parsed = schema.safeParse(values, { reportInput: true });
    if (parsed.success) {
        problems.push(...(options.check?.(parsed.data) ?? []));
    } else {
        problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(prefix, issue, options.seeAlso)));
    }

    const regionText = raw["aws:region"];
    const region = regionSchema.safeParse(regionText);
    if (regionText === undefined) {
        problems.push("aws:region is not set; set it with `pulumi config set aws:region <region>`, e.g. us-east-1");
    } else if (!region.success) {
        problems.push(`aws:region = ${JSON.stringify(regionText)}: expected an AWS region name like us-east-1`);
    }
    if (problems.length > 0 || !parsed.success || !region.success) {
        throw new Error(`Invalid configuration for stack "${stack}":\n  - ${problems.join("\n  - ")}`);
    }
    return { data: parsed.data, region: region.data };
}

// Structured config reaches a program as JSON text; plain strings do not parse as JSON.
function readConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function describeIssue(prefix: string, issue: z.core.$ZodIssue, seeAlso: string): string[] {
    const key = `${prefix}${issue.path.join(".")}`;
    if (issue.code === "unrecognized_keys") {
        const parent = issue.path.length > 0 ? `${key}.` : prefix;
        return issue.keys.map((unknownKey) => `${parent}${unknownKey} is not a known setting; see ${seeAlso}`);
    }
    const found = issue.input === undefined ? "missing" : JSON.stringify(issue.input);
    // A bad record key (a tag name) carries its reason in nested issues.
    const reason = issue.code === "invalid_key" ? issue.issues.map((inner) => inner.message).join("; ") : issue.message;
    return [`${key} = ${found}: ${reason}`];
}
