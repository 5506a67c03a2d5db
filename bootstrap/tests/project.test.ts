import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { bootstrapProject } from "../config";
import { bootstrapRoot } from "./harness";

const repositoryRoot = path.resolve(bootstrapRoot, "..");

function readYaml<T>(file: string): T {
    return parseYaml(fs.readFileSync(file, "utf8")) as T;
}

describe("bootstrap: a Pulumi project of its own", () => {
    const project = readYaml<{
        name: string;
        main?: string;
        runtime: { name: string; options?: { typescript?: boolean } };
    }>(path.join(bootstrapRoot, "Pulumi.yaml"));

    it("has its own project name, TypeScript on Node", () => {
        const main = readYaml<{ name: string }>(path.join(repositoryRoot, "Pulumi.yaml"));
        assert.strictEqual(project.name, bootstrapProject);
        assert.notStrictEqual(project.name, main.name);
        assert.deepStrictEqual(project.runtime, { name: "nodejs", options: { typescript: true } });
    });

    it("names its own entry point, which the repository's package.json would otherwise replace with the main program", () => {
        // Without `main` the runtime takes package.json's `main`, found by searching up from the program directory
        // (docs/platform-facts.md, "A second Pulumi program in a subfolder").
        const packageJson = JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
            main: string;
        };
        assert.strictEqual(packageJson.main, "index.ts");
        assert.strictEqual(project.main, "index.ts");
        assert.ok(fs.existsSync(path.join(bootstrapRoot, project.main)));
    });

    it("ships a stack file with this project's keys and aws:region only", () => {
        const stackFiles = fs.readdirSync(bootstrapRoot).filter((file) => /^Pulumi\..+\.yaml$/.test(file));
        assert.deepStrictEqual(stackFiles, ["Pulumi.ci.yaml"]);
        const { config } = readYaml<{ config: Record<string, unknown> }>(path.join(bootstrapRoot, "Pulumi.ci.yaml"));
        for (const key of Object.keys(config)) {
            assert.match(key, new RegExp(`^(${bootstrapProject}:|aws:region$)`), key);
        }
    });
});
