import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

import { main as benchImage } from "./image/benchImage";
import { main as benchPolicy } from "../commands/benchPolicy/benchPolicy";
import { main as check } from "../commands/check/check";
import { defineCommand, UsageError } from "../commands/cli";
import { main as cost } from "../commands/cost/cost";
import { run as imageLocal } from "../commands/imageLocal/imageLocal";
import { main as verify } from "../commands/verify/verify";
import { projectRoot } from "./harness";

type Main = (
    argv: readonly string[],
    write: (text: string) => void,
    writeError: (text: string) => void,
) => number | Promise<number>;

interface CommandCase {
    name: string;
    main: Main;
    /** Arguments the command must refuse, and all it must say about them on stderr. */
    bad: readonly string[];
    stderr: string;
}

const commands: readonly CommandCase[] = [
    {
        name: "check",
        main: check,
        bad: ["--stack", "qa"],
        stderr: 'error: --stack must be one of dev, prod; got "qa"\n',
    },
    {
        name: "verify",
        main: verify,
        bad: ["--stack", "dev", "--outputs", "outputs.json"],
        stderr: "error: give --stack or --outputs, not both\n",
    },
    {
        name: "image:local",
        main: (argv, write, writeError) =>
            imageLocal(argv, { log: (line) => write(`${line}\n`), error: (line) => writeError(`${line}\n`) }),
        bad: ["--arch", "riscv64"],
        stderr: 'error: --arch must be one of amd64, arm64, got "riscv64"\n',
    },
    {
        name: "bench:image",
        main: benchImage,
        bad: ["--stack=dev"],
        // An unknown argument is the one error that brings the usage line along.
        stderr: 'error: unknown argument "--stack"\nusage: npm run bench:image\n',
    },
    { name: "bench:policy", main: benchPolicy, bad: ["--runs"], stderr: "error: --runs needs a value\n" },
    {
        name: "cost",
        main: cost,
        bad: ["--log-gb", "lots"],
        stderr: 'error: --log-gb must be a number of at least 0, like 10 or 0.5; got "lots"\n',
    },
];

async function runCommand(command: CommandCase, argv: readonly string[]) {
    let stdout = "";
    let stderr = "";
    const code = await command.main(
        argv,
        (text) => (stdout += text),
        (text) => (stderr += text),
    );
    return { code, stdout, stderr };
}

describe("every command: --help, usage errors and exit codes", () => {
    for (const command of commands) {
        for (const flag of ["--help", "-h"]) {
            it(`${command.name} ${flag} prints its usage to stdout and exits 0, doing nothing else`, async () => {
                // The bad arguments ride along: help wins, so a user who asks for it gets it.
                const result = await runCommand(command, [...command.bad, flag]);
                assert.strictEqual(result.code, 0, result.stderr);
                assert.strictEqual(result.stderr, "");
                const lines = result.stdout.split("\n");
                assert.match(lines[0], new RegExp(`^usage: npm run ${command.name}( -- |$)`));
                assert.ok(lines.includes("options:"), result.stdout);
                assert.ok(
                    lines.some((line) => /^ {2}-h, --help\s+print this help and exit$/.test(line)),
                    result.stdout,
                );
                assert.match(result.stdout, /\nexit codes: 0 success; 1 .+; 2 a usage error\n$/);
            });
        }

        it(`${command.name} refuses bad arguments with exit code 2 and an error on stderr`, async () => {
            const result = await runCommand(command, command.bad);
            assert.strictEqual(result.code, 2, result.stdout);
            assert.strictEqual(result.stdout, "");
            assert.strictEqual(result.stderr, command.stderr);
        });
    }

    it("names every flag with its value and what it is for", async () => {
        const { stdout } = await runCommand(commands[0], ["--help"]);
        assert.match(
            stdout,
            /^usage: npm run check -- \[--stack <name>\]\.\.\. \[--config <namespace>:<key>=<value>\]\.\.\. \[--program <file>\]\n/,
        );
        assert.match(stdout, /\n {2}--stack <name>\s+a stack to check; all when none is named \(repeatable\)/);
    });

    it("check and cost take --config alike: the same flag, the same refusal", async () => {
        for (const command of commands.filter((each) => each.name === "check" || each.name === "cost")) {
            const help = await runCommand(command, ["--help"]);
            assert.match(
                help.stdout,
                /\n {2}--config <namespace>:<key>=<value>\s+override one config value, read as JSON/,
            );
            assert.deepStrictEqual(await runCommand(command, ["--config", "service.cpu=512"]), {
                code: 2,
                stdout: "",
                stderr: 'error: --config takes <namespace>:<key>=<value>, e.g. graviton-multiarch:service.cpu=512; got "service.cpu=512"\n',
            });
        }
    });

    it("refuses a stack without a stack file and a run count that is not a plain number", async () => {
        const verifyCase = commands.find((command) => command.name === "verify") as CommandCase;
        const benchCase = commands.find((command) => command.name === "bench:policy") as CommandCase;
        assert.deepStrictEqual(await runCommand(verifyCase, ["--stack", "qa"]), {
            code: 2,
            stdout: "",
            stderr: 'error: --stack must be one of dev, prod; got "qa"\n',
        });
        assert.deepStrictEqual(await runCommand(benchCase, ["--runs", "0x10"]), {
            code: 2,
            stdout: "",
            stderr: 'error: --runs takes a positive integer; got "0x10"\n',
        });
    });

    it("as a process: the usage error on stderr as one line, nothing on stdout, exit code 2", function () {
        this.timeout(30000);
        const result = spawnSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                path.join("commands", "verify", "verify.ts"),
                "--stack",
                "dev",
                "--stack=x",
            ],
            { cwd: projectRoot, encoding: "utf8" },
        );
        assert.strictEqual(result.status, 2, result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.stderr, "error: --stack may be given only once\n");
    });
});

describe("the shared flag parser (commands/cli.ts)", () => {
    const command = defineCommand({
        name: "example",
        summary: "An example.",
        flags: {
            stack: { type: "string", value: "<name>", description: "one stack" },
            tag: { type: "string", multiple: true, description: "a tag" },
            dry: { type: "boolean", description: "change nothing" },
        },
        failure: "it failed",
    });
    const refuses = (argv: readonly string[], message: string) =>
        assert.throws(
            () => command.parse(argv),
            (error: Error) => error instanceof UsageError && error.message === message,
        );

    it("returns what util.parseArgs finds, with --help as a flag of its own", () => {
        assert.deepStrictEqual(
            { ...command.parse(["--stack=dev", "--tag", "a", "--tag", "b", "--dry"]) },
            { stack: "dev", tag: ["a", "b"], dry: true },
        );
        assert.deepStrictEqual({ ...command.parse(["-h"]) }, { help: true });
    });

    it("says which flag is wrong and why, in one line", () => {
        refuses(["--stack", "a", "--stack", "b"], "--stack may be given only once");
        refuses(["--stack"], "--stack needs a value");
        refuses(["--stack="], "--stack needs a value");
        refuses(["--stack", "--dry"], "--stack needs a value");
        refuses(["--dry=yes"], '--dry takes no value; got "yes"');
    });

    it("adds the usage line to an unknown argument", () => {
        refuses(["--region", "x"], `unknown argument "--region"\n${command.usage}`);
        refuses(["extra"], `unknown argument "extra"\n${command.usage}`);
        assert.strictEqual(command.usage, "usage: npm run example -- [--stack <name>] [--tag <value>]... [--dry]");
    });
});
