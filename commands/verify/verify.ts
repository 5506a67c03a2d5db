/**
 * After a real deploy, checks the architecture guarantee against the AWS account (the checks beside this file):
 *
 *   npm run verify -- --stack <name>          (reads `pulumi stack output --json`)
 *   npm run verify -- --outputs <file.json>   (the same JSON, saved earlier)
 *
 * Prints one row per check; exit code 0 when all pass, 1 when any fails (or none could run), 2 on bad arguments.
 */
import { Check, formatTable } from "./checks";
import { awsClients, Clients, verifyDeployment } from "./deployment";
import { readStackOutputs, readStackOutputsFile, StackOutputs } from "./outputs";
import { listStacks } from "../../harness";
import { defineCommand, EXIT_FAILED, EXIT_OK, Main, runAsProcess, selectStacks, UsageError } from "../cli";

export const verifyCommand = defineCommand({
    name: "verify",
    summary: [
        "After a real deploy, checks the architecture guarantee against the AWS account of the stack:",
        "- the index in ECR lists exactly linux/amd64 and linux/arm64, each child's config says the same,",
        "  and amd64Ref/arm64Ref are exactly those children;",
        "- the Lambda function is arm64 and runs the arm64 child;",
        "- each ECS service's running tasks are on the expected CPU architecture and use the index, and the ARM",
        "  service is placed as the stack exported (FARGATE launch type, or its Fargate Spot strategy);",
        "- the ALB listens as configured: HTTPS on 443 with the certificate and TLS 1.3 policy and HTTP only",
        "  redirecting, or plain HTTP;",
        "- the CloudWatch dashboard and every alarm the stack exported exist, and the ARM service's deployments",
        "  watch those alarms with rollback on;",
        "- App Runner and Express Mode (when deployed) run the amd64 child; Express on X86_64;",
        "- EKS (when deployed): every node group has an ARM_64 AMI type and Graviton instance types, every",
        "  running node instance is arm64, and the pods behind the Service answer that they run on arm64.",
        "- no ECS cluster of the stack (by its project and stack tags) is left beside the services' and the live",
        "  Express service's: what Express Mode leaves once switched off, with the commands that delete it.",
        "Needs AWS credentials for that account (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).",
    ].join("\n"),
    synopsis: "--stack <name> | --outputs <file.json>",
    flags: {
        stack: { type: "string", value: "<name>", description: "read the outputs with `pulumi stack output --json`" },
        outputs: {
            type: "string",
            value: "<file.json>",
            description: "read the outputs from a file saved from `pulumi stack output --json`",
        },
    },
    failure: "a check failed, or no check could run (no credentials, no outputs)",
});

export type VerifyOptions = { help: true } | { help: false; stack: string } | { help: false; outputsFile: string };

export function parseArgs(argv: readonly string[]): VerifyOptions {
    const values = verifyCommand.parse(argv);
    if (values.help) {
        return { help: true };
    }
    if (values.stack !== undefined && values.outputs !== undefined) {
        throw new UsageError("give --stack or --outputs, not both");
    }
    if (values.outputs !== undefined) {
        return { help: false, outputsFile: values.outputs };
    }
    if (values.stack !== undefined) {
        // The same check as every other command's --stack: a stack without a stack file is a usage error.
        return { help: false, stack: selectStacks([values.stack], listStacks())[0] };
    }
    throw new UsageError("say which deployment to check: --stack <name> or --outputs <file.json>");
}

function readOutputs(options: { stack: string } | { outputsFile: string }): StackOutputs {
    if ("stack" in options) {
        return readStackOutputs(options.stack);
    }
    try {
        return readStackOutputsFile(options.outputsFile);
    } catch (err) {
        throw new UsageError(`--outputs: ${(err as Error).message}`);
    }
}

/** The whole command; `connect` makes the AWS clients for the stack's region (mocks in tests). */
export function verifyMain(connect: (region: string) => Clients = awsClients): Main {
    return verifyCommand.main(async (argv, write) => {
        const options = parseArgs(argv);
        if (options.help) {
            return EXIT_OK; // run() has printed the help already
        }
        const outputs = readOutputs(options);
        const checks: Check[] = await verifyDeployment(outputs, connect(outputs.region));
        write(`${formatTable(checks)}\n`);
        const failed = checks.filter((check) => !check.ok).length;
        write(
            failed === 0
                ? `verify: all ${checks.length} checks passed\n`
                : `verify: ${failed} of ${checks.length} checks failed\n`,
        );
        return failed === 0 ? EXIT_OK : EXIT_FAILED;
    });
}

export const main = verifyMain();

if (require.main === module) {
    runAsProcess(main);
}
