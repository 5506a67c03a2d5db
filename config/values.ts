// Config values as `pulumi config set` writes them, read into zod schemas whose every error says what is allowed.
import { z } from "zod";

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const logRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function oneOf(values: readonly number[]) {
    return z.number({ error: `expected one of ${values.join(", ")}` }).refine((value) => values.includes(value), {
        message: `expected one of ${values.join(", ")}`,
    });
}

// A top-level `pulumi config set` value is always text, while under `--path` integers and true/false are
// stored as numbers and booleans (docs/platform-facts.md, "Pulumi config"): either spelling is accepted.
export const fromConfigString = (value: unknown): unknown => {
    if (typeof value !== "string") {
        return value;
    }
    if (/^-?\d+(\.\d+)?$/.test(value)) {
        return Number(value);
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return value;
};
export const num = (schema: z.ZodNumber) => z.preprocess(fromConfigString, schema);
export const int = (min: number, max: number) => {
    const error = `expected a whole number from ${min} to ${max}`;
    return num(z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
};
export const bool = () => z.preprocess(fromConfigString, z.boolean({ error: "expected true or false" }));
/** Text of a given shape; the same message whether the value is of the wrong type or shape. */
export const text = (shape: RegExp, error: string) => z.string({ error }).regex(shape, error);
/** One of a fixed list of strings, the error listing them. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `expected one of ${values.join(", ")}` });
