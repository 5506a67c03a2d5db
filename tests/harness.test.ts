import * as assert from "assert";
import { listStacks, runProgram, stackConfig } from "./harness";

describe("test harness", () => {
    it("gives a resource type it knows nothing about an id and an ARN", async () => {
        const run = await runProgram("dev", { entry: "tests/fixtures/unmockedTypes.ts" });
        const bucket = run.one("aws:s3/bucket:Bucket");
        assert.match(String(run.outputs.bucketId), /^artifacts-[0-9a-f]{8}$/);
        assert.strictEqual(run.outputs.bucketArn, bucket.state.arn);
        assert.match(
            String(run.outputs.bucketArn),
            /^arn:aws:s3:us-east-1:123456789012:bucket\/artifacts-[0-9a-f]{7}$/,
        );
        assert.strictEqual(run.outputs.partition, "aws");
    });

    it("fails a run whose program makes an invoke nobody mocked", async () => {
        await assert.rejects(
            runProgram("dev", { entry: "tests/fixtures/unmockedInvoke.ts" }),
            /no mock for invoke aws:ec2\/getAmi:getAmi/,
        );
    });

    it("turns a stack file and dotted overrides into the engine's config map", () => {
        const config = stackConfig("dev", {
            "graviton-multiarch:service.cpu": 512,
            "graviton-multiarch:lambda": undefined,
            "aws:region": "eu-west-1",
        });
        assert.strictEqual(config["aws:region"], "eu-west-1");
        // The dotted key joins what dev's stack file already sets under `service`.
        assert.deepStrictEqual(JSON.parse(config["graviton-multiarch:service"]), { armSpot: true, cpu: 512 });
        assert.strictEqual(config["graviton-multiarch:lambda"], undefined);
        assert.strictEqual(config["graviton-multiarch:protect"], "false");
        assert.deepStrictEqual(listStacks(), ["dev", "prod"]);
    });
});
