// `graviton-multiarch:tags`: the stack's own tags, beside the ones the program puts on every resource.
import { z } from "zod";
import { projectName } from "../components/project";

/** The tags the program puts on every resource (index.ts); a stack's own tags may not replace them. */
export function programTags(stack: string): Record<string, string> {
    return { project: projectName, stack, "managed-by": "pulumi" };
}

/** The tag keys the program sets itself, which a stack's tags may not use in any case. */
export const programTagKeys: readonly string[] = Object.keys(programTags(""));

/** Why a stack may not use a tag key, or undefined when it may. */
function tagKeyProblem(key: string): string | undefined {
    if (key.length < 1 || key.length > 128) {
        return `expected a tag key of 1 to 128 characters, got ${key.length}`;
    }
    if (key.toLowerCase().startsWith("aws:")) {
        return `the tag key ${key} is reserved: keys starting with aws: belong to AWS`;
    }
    // index.ts sets these on every resource, and the bootstrap's deploy roles are scoped by project and stack;
    // IAM tag keys ignore case (docs/platform-facts.md, "Scoping the deploy role").
    if (programTagKeys.includes(key.toLowerCase())) {
        return `the tag key ${key} is reserved: the program sets ${programTagKeys.join(", ")} on every resource itself, and AWS IAM tag keys ignore case`;
    }
    return undefined;
}

export const tagsSchema = z
    .record(
        z.string(),
        // AWS tags are text; `pulumi config set --path tags.costCenter 4711` stores a number (see fromConfigString).
        z
            .union([z.string(), z.number(), z.boolean()], { error: "expected a text, number or boolean tag value" })
            .transform(String)
            .pipe(z.string().max(256, { error: "expected a tag value of at most 256 characters" })),
        { error: "expected a map of tag names to values, e.g. set with `pulumi config set --path tags.team platform`" },
    )
    .superRefine((tags, ctx) => {
        // IAM refuses two tag keys that differ only in case ("Duplicate tag keys found").
        const seen = new Map<string, string>();
        for (const [key, value] of Object.entries(tags)) {
            const keyProblem = tagKeyProblem(key);
            const first = seen.get(key.toLowerCase());
            if (keyProblem !== undefined) {
                ctx.addIssue({ code: "custom", path: [key], input: value, message: keyProblem });
            } else if (first !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: value,
                    message: `differs only in case from tag ${first}, and AWS IAM tag keys ignore case`,
                });
            }
            seen.set(key.toLowerCase(), first ?? key);
        }
    });
