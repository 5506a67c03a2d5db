// One shape for every violation message: what was found, what is required, how to fix it.

export interface ViolationParts {
    /** The resource or thing the message is about, e.g. `Lambda function "api"`. */
    subject: string;
    /** What the policy found. */
    found: string;
    /** What the policy requires. */
    required: string;
    /** How to fix it. */
    fix: string;
}

export function violationMessage({ subject, found, required, fix }: ViolationParts): string {
    return `${subject}: ${found}. Required: ${required}. Fix: ${fix}.`;
}

/** The sentence every mandatory policy appends to its fix, so the escape hatch is discoverable. */
export const EXEMPTION_HINT =
    "if it must stay as it is, add { resourceName, reason } to this policy's exemptions config";
