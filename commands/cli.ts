import { parseArgs, ParseArgsConfig, ParseArgsOptionDescriptor } from "util";

/** The exit codes every command uses. */
export const EXIT_OK = 0;
/** A check failed, or the command could not do its job. */
export const EXIT_FAILED = 1;
/** The command line was wrong; nothing was done. */
export const EXIT_USAGE = 2;

/** A mistake in the command line: reported as `error: <message>` and exit code 2, without a stack trace. */
export class UsageError extends Error {}

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * Node's own parser (util.parseArgs), its complaints turned into usage errors, in its own words. For a command
 * defined with `defineCommand`, use its `parse`, which also knows `--help` and says what went wrong in ours.
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T) {
    try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

/** One flag of a command: util.parseArgs's descriptor, plus what `--help` says about it. */
export interface Flag extends ParseArgsOptionDescriptor {
    /** One line for the help text. */
    readonly description: string;
    /** How the value is shown in the usage, e.g. `<name>`; the choices joined by `|` when there are choices. */
    readonly value?: string;
    /** The only values allowed; anything else is a usage error. */
    readonly choices?: readonly string[];
}

export interface CommandDefinition<F extends Readonly<Record<string, Flag>>> {
    /** The npm script, e.g. `verify`: the usage line reads `usage: npm run verify -- ...`. */
    readonly name: string;
    /** What the command does, for the help text (may hold several lines). */
    readonly summary: string;
    /** The command's flags; `--help` and `-h` are added to every command. */
    readonly flags: F;
    /** The arguments part of the usage line when the flags alone do not tell it (e.g. a choice of two). */
    readonly synopsis?: string;
    /** What exit code 1 means for this command, e.g. "a check failed". */
    readonly failure: string;
}

const HELP_FLAG = { type: "boolean", short: "h", description: "print this help and exit" } as const satisfies Flag;

type AllFlags<F> = F & { help: typeof HELP_FLAG };

/** The parsed values: a string (or list) per string flag, a boolean per boolean flag, and `help`. */
export type FlagValues<F extends Readonly<Record<string, Flag>>> = ReturnType<typeof parseFlags<AllFlags<F>>>;

/** Where a command writes: its output (and --help) to `write`, usage errors to `writeError`. */
export interface CommandOutput {
    readonly write: (text: string) => void;
    readonly writeError: (text: string) => void;
}

export interface Command<F extends Readonly<Record<string, Flag>>> {
    readonly name: string;
    /** `usage: npm run <name> -- <synopsis>` */
    readonly usage: string;
    /** The whole text `--help` prints, ending in a newline. */
    readonly help: string;
    /** Parses the arguments with util.parseArgs; a UsageError names what is wrong. */
    parse(argv: readonly string[]): FlagValues<F>;
    /**
     * Runs the command's body: prints the help and returns 0 when the arguments ask for it, else returns the
     * body's exit code, or 2 after writing `error: <message>` when the body throws a UsageError. Any other
     * error propagates (runAsProcess reports it and exits 1).
     */
    run(argv: readonly string[], output: CommandOutput, body: () => number): number;
    run(argv: readonly string[], output: CommandOutput, body: () => Promise<number>): Promise<number>;
    /**
     * The command's entry point, for runAsProcess and for tests: output to `write` (stdout by default), usage
     * errors and diagnostics to `writeError` (where the output goes unless given), `body` run as `run` runs it.
     */
    main(
        body: (
            argv: readonly string[],
            write: (text: string) => void,
            writeError: (text: string) => void,
        ) => number | Promise<number>,
    ): Main;
}

/** A command's entry point: its arguments, where its output goes and where its usage errors go. */
export type Main = (
    argv: readonly string[],
    write?: (text: string) => void,
    writeError?: (text: string) => void,
) => Promise<number>;

function placeholder(flag: Flag): string {
    return flag.value ?? (flag.choices ? flag.choices.join("|") : "<value>");
}

function label(name: string, flag: Flag): string {
    const short = flag.short ? `-${flag.short}, ` : "";
    return `${short}--${name}${flag.type === "string" ? ` ${placeholder(flag)}` : ""}`;
}

function synopsisOf(flags: Readonly<Record<string, Flag>>): string {
    return Object.entries(flags)
        .map(([name, flag]) => `[${label(name, { ...flag, short: undefined })}]${flag.multiple ? "..." : ""}`)
        .join(" ");
}

function helpText(definition: CommandDefinition<Readonly<Record<string, Flag>>>, usage: string): string {
    const flags: Readonly<Record<string, Flag>> = { ...definition.flags, help: HELP_FLAG };
    const rows = Object.entries(flags).map(([name, flag]) => ({
        label: label(name, flag),
        text: `${flag.description}${flag.multiple ? " (repeatable)" : ""}`,
    }));
    const width = Math.max(...rows.map((row) => row.label.length));
    return [
        usage,
        "",
        definition.summary,
        "",
        "options:",
        ...rows.map((row) => `  ${row.label.padEnd(width)}  ${row.text}`),
        "",
        `exit codes: ${EXIT_OK} success; ${EXIT_FAILED} ${definition.failure}; ${EXIT_USAGE} a usage error`,
        "",
    ].join("\n");
}

/** True when the arguments before any `--` include `--help` or `-h`: help wins over every other flag. */
export function wantsHelp(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/**
 * Checks each argument util.parseArgs found, so that a usage error says in one line which flag is wrong and why:
 * unknown, missing its value, given a value it does not take, given twice, or not one of its choices.
 */
function checkTokens(argv: readonly string[], flags: Readonly<Record<string, Flag>>, usage: string): void {
    const { tokens } = parseArgs({
        args: [...argv],
        options: flags,
        strict: false,
        allowPositionals: true,
        tokens: true,
    });
    const seen = new Set<string>();
    for (const token of tokens) {
        if (token.kind === "positional") {
            throw new UsageError(`unknown argument "${token.value}"\n${usage}`);
        }
        if (token.kind === "option-terminator") {
            continue;
        }
        const flag = flags[token.name];
        if (flag === undefined) {
            throw new UsageError(`unknown argument "${token.rawName}"\n${usage}`);
        }
        const name = `--${token.name}`;
        if (!flag.multiple && seen.has(token.name)) {
            throw new UsageError(`${name} may be given only once`);
        }
        seen.add(token.name);
        if (flag.type === "boolean") {
            if (token.value !== undefined) {
                throw new UsageError(`${name} takes no value; got "${token.value}"`);
            }
            continue;
        }
        // A value taken from the next argument that looks like a flag is a forgotten value, as util.parseArgs says.
        if (token.value === undefined || token.value === "" || (!token.inlineValue && token.value.startsWith("-"))) {
            throw new UsageError(`${name} needs a value${flag.choices ? `: one of ${flag.choices.join(", ")}` : ""}`);
        }
        if (flag.choices && !flag.choices.includes(token.value)) {
            throw new UsageError(`${name} must be one of ${flag.choices.join(", ")}, got "${token.value}"`);
        }
    }
}

/** `--stack <name>`, repeatable, as every command that works on stacks takes it (`selectStacks` checks it). */
export function stackFlag(what: string) {
    return {
        type: "string",
        multiple: true,
        value: "<name>",
        description: `a stack to ${what}; all when none is named`,
    } as const satisfies Flag;
}

/** `--config`, defined once so that check and cost take a config value alike (README, "Commands"). */
export const configFlag = {
    type: "string",
    multiple: true,
    value: "<namespace>:<key>=<value>",
    description: "override one config value, read as JSON where it parses",
} as const satisfies Flag;

/** `--config` settings by full key, the namespace included, since `aws:region` lives outside the project's (README, "Configuration"). */
export function parseConfigOverrides(settings: readonly string[] | undefined): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const setting of settings ?? []) {
        const equals = setting.indexOf("=");
        if (equals <= 0 || !setting.slice(0, equals).includes(":")) {
            throw new UsageError(
                `--config takes <namespace>:<key>=<value>, e.g. graviton-multiarch:service.cpu=512; got "${setting}"`,
            );
        }
        config[setting.slice(0, equals)] = parseValue(setting.slice(equals + 1));
    }
    return config;
}

// Values are read as JSON where they parse (numbers, booleans, lists), as Pulumi's own config does.
function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** A command of this project: its flags, its `--help`, its usage errors and its exit codes, the same for all. */
export function defineCommand<const F extends Readonly<Record<string, Flag>>>(
    definition: CommandDefinition<F>,
): Command<F> {
    const allFlags: AllFlags<F> = { ...definition.flags, help: HELP_FLAG };
    const synopsis = definition.synopsis ?? synopsisOf(definition.flags);
    const usage = `usage: npm run ${definition.name}${synopsis ? ` -- ${synopsis}` : ""}`;
    const help = helpText(definition, usage);

    const usageErrorCode = (output: CommandOutput, error: unknown): number => {
        if (error instanceof UsageError) {
            output.writeError(`error: ${error.message}\n`);
            return EXIT_USAGE;
        }
        throw error;
    };

    function run(argv: readonly string[], output: CommandOutput, body: () => number): number;
    function run(argv: readonly string[], output: CommandOutput, body: () => Promise<number>): Promise<number>;
    function run(
        argv: readonly string[],
        output: CommandOutput,
        body: () => number | Promise<number>,
    ): number | Promise<number> {
        if (wantsHelp(argv)) {
            output.write(help);
            return EXIT_OK;
        }
        try {
            const code = body();
            return typeof code === "number" ? code : code.catch((error: unknown) => usageErrorCode(output, error));
        } catch (error) {
            return usageErrorCode(output, error);
        }
    }

    return {
        name: definition.name,
        usage,
        help,
        parse(argv) {
            checkTokens(argv, allFlags, usage);
            return parseFlags(argv, allFlags);
        },
        run,
        main(body) {
            return (argv, write = (text) => process.stdout.write(text), writeError = write) =>
                run(argv, { write, writeError }, async () => body(argv, write, writeError));
        },
    };
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

/** What runAsProcess runs: a Main, or any entry point that takes the same writers. */
export type CommandMain = (
    argv: readonly string[],
    write: (text: string) => void,
    writeError: (text: string) => void,
) => number | Promise<number>;

/**
 * Runs a command's main with this process's arguments, output to stdout and usage errors to stderr, and sets
 * the exit code it returns; an error it throws is printed as one line and exits 1.
 */
export function runAsProcess(main: CommandMain): void {
    Promise.resolve()
        .then(() =>
            main(
                process.argv.slice(2),
                (text) => process.stdout.write(text),
                (text) => process.stderr.write(text),
            ),
        )
        .then(
            (code) => {
                process.exitCode = code;
            },
            (error: unknown) => {
                process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
                process.exitCode = EXIT_FAILED;
            },
        );
}
