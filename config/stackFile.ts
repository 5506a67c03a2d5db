// A stack file (`Pulumi.<stack>.yaml`) read as the Pulumi CLI reads it before it runs the program, for the commands
// and tests that run the program themselves (tools/harness.ts). The program gets its config from the engine instead,
// so nothing it imports loads this module.
import * as fs from "fs";
import * as path from "path";
import { parse, YAMLParseError } from "yaml";

/** The `config:` map of a stack file; an error names the file, and the line and column of a YAML syntax error. */
export function readStackFile(file: string): Record<string, unknown> {
    const relative = path.relative(process.cwd(), file);
    const name = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    let document: unknown;
    try {
        document = parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        if (error instanceof YAMLParseError && error.linePos !== undefined) {
            const [{ line, col }] = error.linePos;
            // The parser's own message repeats the position before its excerpt of the file.
            const message = error.message.replace(/ at line \d+, column \d+:/, ":");
            throw new Error(`${name}, line ${line}, column ${col}: ${message}`);
        }
        throw new Error(`${name}: ${(error as Error).message}`);
    }
    const config = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new Error(`${name}: config = ${JSON.stringify(config)}: expected a map of config keys to values`);
    }
    return config as Record<string, unknown>;
}
