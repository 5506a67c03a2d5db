import * as assert from "assert";
import { main } from "../commands/benchPolicy/benchPolicy";

describe("npm run bench:policy", function () {
    this.timeout(60000);

    it("prints the load time, the start time and their ratio, within the limit", async () => {
        let output = "";
        const code = await main(["--runs", "1"], (text) => (output += text));
        const figure = (label: string) => Number(new RegExp(`${label}: ([0-9.]+)`).exec(output)?.[1]);
        assert.ok(figure("load @pulumi/policy") > 0, output);
        assert.ok(figure("pack start to port line") > 0, output);
        assert.ok(
            Math.abs(figure("ratio") - figure("pack start to port line") / figure("load @pulumi/policy")) < 0.05,
            output,
        );
        assert.strictEqual(code, 0, output);
    });

    it("rejects a bad --runs with exit code 2", async () => {
        let output = "";
        assert.strictEqual(await main(["--runs", "0"], (text) => (output += text)), 2);
        assert.match(output, /--runs takes a positive integer/);
    });
});
