import { parseArgs, ParseArgsConfig } from "util";

/** A mistake in the command line: reported as one line and exit code 2, without a stack trace. */
export class UsageError extends Error {}

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** Node's own parser (util.parseArgs), its complaints turned into usage errors. */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T) {
    try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

/** The stacks named with `--stack`, each checked against the project's; none named means all. */
export function selectStacks(named: readonly string[] | undefined, knownStacks: readonly string[]): readonly string[] {
    for (const stack of named ?? []) {
        if (!knownStacks.includes(stack)) {
            throw new UsageError(`--stack must be one of ${knownStacks.join(", ")}; got "${stack}"`);
        }
    }
    return named && named.length > 0 ? named : knownStacks;
}

/** Runs a command's body, turning a usage error into its message and exit code 2. */
export async function withUsageErrors(
    write: (text: string) => void,
    body: () => number | Promise<number>,
): Promise<number> {
    try {
        return await body();
    } catch (error) {
        if (error instanceof UsageError) {
            write(`error: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

/** Runs a command's main with this process's arguments and sets the exit code it returns. */
export function runAsProcess(main: (argv: readonly string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: Error) => {
            process.stderr.write(`error: ${error.message}\n`);
            process.exitCode = 1;
        },
    );
}
