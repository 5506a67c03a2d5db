// `graviton-multiarch:tags`: the stack's own tags, beside the ones the program puts on every resource.
import { z } from "zod";

/** The tags index.ts puts on every resource; a stack's own tags may not replace them. */
export const programTagKeys: readonly string[] = ["project", "stack", "managed-by"];

export const tagsSchema = z
    .record(
        z
            .string()
            .min(1)
            .max(128)
            .refine((key) => !key.toLowerCase().startsWith("aws:"), "tag keys starting with aws: are reserved by AWS")
            // index.ts sets these on every resource, and the bootstrap's deploy roles are scoped by project and stack;
            // IAM tag keys ignore case (docs/platform-facts.md, "Scoping the deploy role").
            .refine(
                (key) => !programTagKeys.includes(key.toLowerCase()),
                `tag keys ${programTagKeys.join(", ")} are set by the program itself, in any case`,
            ),
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
            const first = seen.get(key.toLowerCase());
            if (first === undefined) {
                seen.set(key.toLowerCase(), key);
            } else {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: value,
                    message: `differs only in case from tag ${first}, and AWS IAM tag keys ignore case`,
                });
            }
        }
    });
