// Reading one Pulumi project's stack config into a zod schema, shared by the main program (config/index.ts) and the
// bootstrap program (bootstrap/config.ts), so that both report problems the same way: the full key, the value
// found and what is allowed, under the stack file's name.
//
// The engine hands a program its config as one flat map from `namespace:key` to text, structured values as JSON
// text (tools/harness.ts, stackConfig, builds the same map from a stack file). Every namespace shares that map: a key
// in a namespace nothing reads is read by nothing, silently.
import { z } from "zod";
import { describeProblem, Problem } from "../components/rules";
import { closest } from "./spelling";

/** Raw stack config as `pulumi.runtime.allConfig()` holds it: `namespace:key` to text. */
export type RawConfig = Readonly<Record<string, string>>;

/** An AWS region name; the `aws:region` of a stack. */
export const regionSchema = z
    .string({ error: "expected an AWS region name like us-east-1" })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS region name like us-east-1");

/** The one key a program reads outside its own namespace: the providers read the rest themselves. */
const regionNamespace = "aws";
const regionKey = `${regionNamespace}:region`;

/** The file `pulumi config set` writes a stack's config to, which errors name. */
export function stackFileOf(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** How to read one project's namespace. */
export interface NamespaceOptions<T> {
    /** Where the settings are documented, for the message about an unknown key. */
    readonly seeAlso: string;
    /** Besides the project's own: the namespaces the program's providers and the engine read, like `aws`. */
    readonly otherNamespaces: readonly string[];
    /** Problems the schema cannot see, found in the parsed values (each a full `key = value: reason` line). */
    readonly check?: (data: T) => string[];
}

export interface ParsedNamespace<T> {
    readonly data: T;
    readonly region: string;
}

/**
 * Parses every `<namespace>:<key>` of the raw config with `schema`, plus `aws:region`, or throws one Error that
 * names the stack file and lists every problem by its full key, the value found and what is allowed. A key in a
 * namespace that looks like a misspelling of one the program reads is a problem too, as is a key of `aws:` that
 * looks like a misspelling of `aws:region`.
 */
export function parseNamespace<S extends z.ZodType>(
    raw: RawConfig,
    stack: string,
    namespace: string,
    schema: S,
    options: NamespaceOptions<z.output<S>>,
): ParsedNamespace<z.output<S>> {
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
        problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(prefix, schema, issue, options.seeAlso)));
    }

    const namespaces = [namespace, ...options.otherNamespaces];
    const { misspelt, regionMisspelt } = keysOutside(raw, namespaces);
    problems.push(...misspelt.map((problem) => describeProblem(problem)));

    const regionText = raw[regionKey];
    const region = regionSchema.safeParse(regionText);
    // A misspelt aws:region is reported above, with the key it was meant for.
    if (regionText === undefined && !regionMisspelt) {
        problems.push(
            `${regionKey} is not set; set it with \`pulumi config set ${regionKey} <region>\`, e.g. us-east-1`,
        );
    } else if (regionText !== undefined && !region.success) {
        problems.push(
            describeProblem({
                key: regionKey,
                value: regionText,
                message: "expected an AWS region name like us-east-1",
            }),
        );
    }
    if (problems.length > 0 || !parsed.success || !region.success) {
        throw new Error(
            `Invalid configuration in ${stackFileOf(stack)} (stack "${stack}"):\n  - ${problems.join("\n  - ")}`,
        );
    }
    return { data: parsed.data, region: region.data };
}

/** The keys outside a program's own namespace that nothing reads. */
export interface KeysOutside {
    /** Those that look like a misspelling of a namespace the program reads, or of `aws:region`: refused. */
    readonly misspelt: Problem[];
    /** Whether one of them was meant to be `aws:region`. */
    readonly regionMisspelt: boolean;
    /** Those in other namespaces: reported, as a provider the program does not run may read them. */
    readonly warnings: string[];
}

/** Sorts the keys outside the program's own namespace (the first of `namespaces`) that nothing reads. */
export function keysOutside(raw: RawConfig, namespaces: readonly string[]): KeysOutside {
    const misspelt: Problem[] = [];
    let regionMisspelt = false;
    const warnings: string[] = [];
    const read = namespaces.map((name) => `${name}:`).join(", ");
    for (const [fullKey, text] of Object.entries(raw)) {
        const colon = fullKey.indexOf(":");
        // A key without a colon is stored by the CLI under the project's namespace, so only keys with one get here.
        const namespace = colon < 0 ? "" : fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        const value = readConfigValue(text);
        if (!namespaces.includes(namespace)) {
            const meant = closest(namespace, namespaces);
            if (meant === undefined) {
                warnings.push(`config key ${fullKey} is not read by this program (it reads ${read})`);
            } else {
                misspelt.push({
                    key: fullKey,
                    value,
                    message: `nothing reads the namespace ${namespace}; did you mean ${meant}:${key}? This program reads ${read}`,
                });
            }
        } else if (namespace === regionNamespace && fullKey !== regionKey) {
            // The provider reads its other settings itself; only one that looks like aws:region is surely a slip.
            if (closest(fullKey, [regionKey]) !== undefined) {
                regionMisspelt = true;
                misspelt.push({
                    key: fullKey,
                    value,
                    message: `is not a known setting; did you mean ${regionKey}?`,
                });
            }
        }
    }
    return { misspelt, regionMisspelt, warnings };
}

// Structured config reaches a program as JSON text; plain strings do not parse as JSON.
function readConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function describeIssue(prefix: string, schema: z.ZodType, issue: z.core.$ZodIssue, seeAlso: string): string[] {
    const key = `${prefix}${issue.path.join(".")}`;
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((unknownKey) => {
            const fullKey = issue.path.length > 0 ? `${key}.${unknownKey}` : `${prefix}${unknownKey}`;
            const hint = unknownKeyHint(prefix, schema, [...issue.path, unknownKey], seeAlso);
            return describeProblem({
                key: fullKey,
                value: issue.input?.[unknownKey],
                message: `is not a known setting; ${hint}`,
            });
        });
    }
    // A bad record key (a bootstrap environment's name) carries its reason in nested issues.
    const reason = issue.code === "invalid_key" ? issue.issues.map((inner) => inner.message).join("; ") : issue.message;
    return [describeProblem({ key, value: issue.input, message: reason })];
}

/**
 * For a key the schema does not know: `--path` for a dotted setting written as one key, else the setting it most
 * likely meant, else the settings there are.
 */
function unknownKeyHint(prefix: string, schema: z.ZodType, path: readonly PropertyKey[], seeAlso: string): string {
    const parentPath = path.slice(0, -1);
    const unknownKey = String(path.at(-1));
    const [top, ...inner] = unknownKey.split(".");
    const last = inner.at(-1);
    if (last !== undefined && settingsAt(schema, [...parentPath, top, ...inner.slice(0, -1)]).includes(last)) {
        return `to set ${last} inside ${top}, use \`pulumi config set --path ${path.join(".")} <value>\``;
    }
    const known = settingsAt(schema, parentPath);
    const meant = closest(unknownKey, known);
    if (meant !== undefined) {
        return `did you mean ${prefix}${[...parentPath, meant].join(".")}?`;
    }
    const where = parentPath.length > 0 ? `${prefix}${parentPath.join(".")}` : prefix.slice(0, -1);
    return `${where} takes ${known.join(", ")}; see ${seeAlso}`;
}

/** The setting names of the object a path leads to in a schema; none where it leads to no object. */
function settingsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
    let current: z.core.$ZodType | undefined = unwrap(schema);
    for (const part of path) {
        const def: z.core.$ZodTypeDef = current._zod.def;
        if (def.type === "object") {
            current = (def as z.core.$ZodObjectDef).shape[String(part)];
        } else if (def.type === "record") {
            current = (def as z.core.$ZodRecordDef).valueType;
        } else {
            return [];
        }
        if (current === undefined) {
            return [];
        }
        current = unwrap(current);
    }
    const def = current._zod.def;
    return def.type === "object" ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
    const def = schema._zod.def as z.core.$ZodTypeDef & { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (["default", "prefault", "optional", "nullable", "readonly"].includes(def.type) && def.innerType) {
        return unwrap(def.innerType);
    }
    if (def.type === "pipe" && def.in) {
        return unwrap(def.in);
    }
    return schema;
}
