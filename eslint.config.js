// Type-aware linting: the Pulumi rules need type information to tell an Output from a string.
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

module.exports = tseslint.config(
    { ignores: ["**/node_modules/**", "app/dist/**", "policy-pack/bin/**", "eslint.config.js"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: __dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
    {
        // Imports point one way: test code (tests/, policy-pack/tests/, bootstrap/tests/) may import anything,
        // what ships (the program, the pack, the commands, the harness) imports no test code.
        files: ["**/*.ts"],
        ignores: ["**/tests/**"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: [{ regex: "(^|/)tests(/|$)", message: "test code stays out of what ships" }] },
            ],
        },
    },
    {
        // `pulumi policy publish` uploads the pack's folder alone, so what it ships imports nothing outside it.
        files: ["policy-pack/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        { regex: "(^|/)tests(/|$)", message: "test code stays out of what ships" },
                        { regex: "^\\.\\./", message: "the pack is published alone: import only from its folder" },
                    ],
                },
            ],
        },
    },
);
