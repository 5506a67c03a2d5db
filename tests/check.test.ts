import * as assert from "assert";
import { checkStack, formatReport, main, parseCheckArgs } from "../commands/check/check";

describe("npm run check", () => {
    it("passes dev and prod, showing which digest each runtime gets", async () => {
        let output = "";
        // Every optional part on, so the pack sees App Runner, Express Mode, HTTPS and EKS as well as both services.
        const code = await main(
            [
                "--config",
                "graviton-multiarch:appRunner.enabled=true",
                "--config",
                "graviton-multiarch:expressMode.enabled=true",
                "--config",
                "graviton-multiarch:service.certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
                "--config",
                "graviton-multiarch:eks.enabled=true",
            ],
            (text) => (output += text),
        );
        assert.strictEqual(code, 0, output);
        assert.match(output, /== stack dev: PASS/);
        assert.match(output, /== stack prod: PASS/);
        assert.match(output, /ECS Fargate X86_64 \(web-x86\)\s+index\s+\S+@sha256:/);
        assert.match(output, /ECS Fargate ARM64 \(web-arm\)\s+index\s+/);
        assert.match(output, /Lambda arm64 \(api\)\s+arm64\s+/);
        assert.match(output, /App Runner \(app\)\s+amd64\s+/);
        assert.match(output, /EKS arm64 nodes \(eks-app\)\s+index\s+\S+@sha256:/);
        assert.match(output, /aws:eks\/nodeGroup:NodeGroup\s+1\n/);
        assert.match(output, /pass\s+eks-nodegroup-architecture-match \(mandatory\)/);
        assert.match(output, /ECS Express Mode X86_64 \(express\)\s+amd64\s+/);
        assert.match(output, /pass\s+lambda-arm64-only \(mandatory\)/);
        assert.match(output, /aws:ecs\/taskDefinition:TaskDefinition\s+2/);
        assert.match(output, /check: passed \(dev, prod\)\n$/);
    });

    it("fails a broken variant, naming the policy and the resource", async () => {
        const report = await checkStack("dev", { program: "tests/fixtures/x86Lambda.ts" });
        assert.strictEqual(report.passed, false);
        const failed = report.verdicts.filter(
            (verdict) => verdict.violations.length > 0 && verdict.enforcementLevel === "mandatory",
        );
        assert.deepStrictEqual(
            failed.map((verdict) => verdict.policy),
            // The x86_64 function also runs the arm64 image, a second known conflict.
            ["lambda-arm64-only", "lambda-image-architecture-match"],
        );
        assert.match(
            formatReport(report),
            /FAIL\s+lambda-arm64-only \(mandatory\)\n\s+Lambda function "legacy-report"/,
        );
        assert.ok(
            report.images.some(
                (image) => image.runtime === "Lambda x86_64 (unset) (legacy-report)" && image.kind === "arm64",
            ),
        );
    });

    it("fails with the program's own error message when the program cannot run", async () => {
        let output = "";
        const code = await main(
            ["--stack", "prod", "--config", "graviton-multiarch:service.cpu=300"],
            (text) => (output += text),
        );
        assert.strictEqual(code, 1);
        assert.match(output, /== stack prod: FAIL\n\s+the program failed before the policies could run:/);
        assert.match(output, /graviton-multiarch:service\.cpu = 300: expected one of 256, 512/);
    });

    it("fails a stack with a key in a misspelt namespace, naming the key meant", async () => {
        let output = "";
        const code = await main(
            ["--stack", "dev", "--config", "gravitonmultiarch:protect=false"],
            (text) => (output += text),
        );
        assert.strictEqual(code, 1, output);
        assert.match(output, /== stack dev: FAIL\n/);
        assert.match(output, /gravitonmultiarch:protect = false: .*; did you mean graviton-multiarch:protect\?/);
    });

    it("rejects bad arguments with exit code 2", async () => {
        let output = "";
        assert.strictEqual(await main(["--stack", "qa"], (text) => (output += text)), 2);
        assert.match(output, /--stack must be one of dev, prod; got "qa"/);
        assert.throws(() => parseCheckArgs(["--config", "service.cpu=1"]), /--config takes <namespace>:<key>=<value>/);
        assert.deepStrictEqual(parseCheckArgs(["--config", "graviton-multiarch:service.cpu=512"]).config, {
            "graviton-multiarch:service.cpu": 512,
        });
    });

    it("exits 1 when a mandatory policy fails", async () => {
        // In-process: runAsProcess turning the returned code into the process's is shared and tested once
        // (tests/cli.test.ts), and a process would load the program and the pack a second time.
        let output = "";
        const code = await main(
            ["--stack", "dev", "--program", "tests/fixtures/mismatchedNodeGroup.ts"],
            (text) => (output += text),
        );
        assert.strictEqual(code, 1, output);
        assert.match(output, /FAIL\s+eks-nodegroup-architecture-match \(mandatory\)/);
        assert.match(output, /check: failed \(dev\)/);
    });
});
