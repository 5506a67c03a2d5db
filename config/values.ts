// Config values as `pulumi config set` writes them, read into zod schemas whose every error says what is allowed.
// A setting a component also takes is read through that component's own rule (components/rules.ts), so the stack
// config and the component refuse a value in the same words.
import { z } from "zod";
import { describeProblem, matching, oneOf, Problem, Rule, wholeNumber } from "../components/rules";

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const logRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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

/** A value checked by a rule, as it is given: for text, which must stay text (`"1.30"` is not 1.3). */
export function fromRule<T>(rule: Rule<T>) {
    // Any input, so that a schema for the type (text only, say) can come first: `z.string().pipe(fromRule(rule))`.
    return z.any().transform((value, ctx): T => {
        const verdict = rule(value);
        if ("refused" in verdict) {
            ctx.addIssue({ code: "custom", message: verdict.refused, input: value });
            return z.NEVER;
        }
        return verdict.value;
    });
}

/** A number or boolean checked by a rule, also when `pulumi config set` stored it as text. */
export function setting<T>(rule: Rule<T>) {
    return z.preprocess(fromConfigString, fromRule(rule));
}

const boolean: Rule<boolean> = (value) =>
    typeof value === "boolean" ? { value } : { refused: "expected true or false" };

export const bool = () => setting(boolean);
export const int = (min: number, max: number) => setting(wholeNumber(min, max));
export const retentionDays = () => setting(oneOf<number>(logRetentionDays));
/** Text of a given shape; the same message whether the value is of the wrong type or shape. */
export const text = (shape: RegExp, error: string) => fromRule(matching(shape, error));
/** One of a fixed list of strings, the error listing them. */
export const choice = <const T extends string>(values: readonly T[]) => fromRule(oneOf(values));

/** A section's check of the rules between its settings: each problem a component's rules find, under its key. */
export function between<T>(problems: (value: T) => readonly Problem[]) {
    return (value: T, ctx: z.RefinementCtx<T>): void => {
        for (const problem of problems(value)) {
            ctx.addIssue({ code: "custom", path: [problem.key], input: problem.value, message: problem.message });
        }
    };
}

/**
 * An ARN of another region than the stack's `aws:region`, as one problem line: `message` is told the ARN's region.
 * Nothing is said without the ARN or the region.
 */
export function regionProblems(
    key: string,
    arn: string | undefined,
    region: string | undefined,
    message: (arnRegion: string) => string,
): string[] {
    const arnRegion = arn?.split(":")[3];
    if (arn === undefined || arnRegion === undefined || region === undefined || arnRegion === region) {
        return [];
    }
    return [describeProblem({ key, value: arn, message: message(arnRegion) })];
}
