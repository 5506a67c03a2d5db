// What a component's arguments allow, written once: the component refuses bad arguments with these rules, and the
// stack config (config/) reads each setting through the same rule, so both say the same thing about a bad value.

/** One refused argument: its name, the value given and what is allowed. */
export interface Problem {
    readonly key: string;
    readonly value: unknown;
    /** What is allowed, or why the value cannot be taken: the same text wherever the value came from. */
    readonly message: string;
}

/** The value as it was allowed, or why it is not. */
export type Verdict<T> = { readonly value: T } | { readonly refused: string };

/** What one argument allows. Takes any value, so a wrong type gets the same answer as a value out of range. */
export type Rule<T> = (value: unknown) => Verdict<T>;

/** A value as an error shows it: JSON, or `missing`. */
export function shown(value: unknown): string {
    return value === undefined ? "missing" : JSON.stringify(value);
}

export function wholeNumber(min: number, max: number): Rule<number> {
    const refused = `expected a whole number from ${min} to ${max}`;
    return (value) =>
        typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? { value } : { refused };
}

export function wholeNumberFrom(min: number): Rule<number> {
    const refused = `expected a whole number of at least ${min}`;
    return (value) => (typeof value === "number" && Number.isInteger(value) && value >= min ? { value } : { refused });
}

/** Any number in a range, fractions included (a ratio such as 1.2). */
export function numberBetween(min: number, max: number): Rule<number> {
    const refused = `expected a number from ${min} to ${max}`;
    return (value) =>
        typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? { value } : { refused };
}

export function oneOf<const T extends string | number>(values: readonly T[]): Rule<T> {
    const refused = `expected one of ${values.join(", ")}`;
    return (value) => ((values as readonly unknown[]).includes(value) ? { value: value as T } : { refused });
}

/** Text of a given shape; the same message whether the value is of the wrong type or shape. */
export function matching(shape: RegExp, refused: string): Rule<string> {
    return (value) => (typeof value === "string" && shape.test(value) ? { value } : { refused });
}

/** The problems of each argument that has a rule and was given. */
export function problemsOf<A extends object>(rules: { readonly [K in keyof A]?: Rule<unknown> }, args: A): Problem[] {
    return Object.entries(rules).flatMap(([key, rule]) => {
        const value = (args as Record<string, unknown>)[key];
        if (value === undefined || rule === undefined) {
            return [];
        }
        const verdict = (rule as Rule<unknown>)(value);
        return "refused" in verdict ? [{ key, value, message: verdict.refused }] : [];
    });
}

/**
 * Throws one Error naming each problem's argument, the value given and what is allowed, prefixed by the component:
 * `FargateServicePair: memory = 4096: Fargate has no task size with cpu 256 and memory 4096; ...`.
 */
export function refuse(component: string, problems: readonly Problem[]): void {
    if (problems.length > 0) {
        throw new Error(problems.map((problem) => `${component}: ${describeProblem(problem)}`).join("\n"));
    }
}

/** `<key> = <value>: <message>`, the form both a component and the stack config report a problem in. */
export function describeProblem(problem: Problem): string {
    return `${problem.key} = ${shown(problem.value)}: ${problem.message}`;
}

/**
 * Checks arguments against their rules, then, once each is allowed on its own, the rules between them: a component's
 * whole argument check.
 */
export function checkArguments<A extends object>(
    component: string,
    rules: { readonly [K in keyof A]?: Rule<unknown> },
    args: A,
    between: (args: A) => Problem[] = () => [],
): void {
    const own = problemsOf(rules, args);
    refuse(component, own.length > 0 ? own : between(args));
}
