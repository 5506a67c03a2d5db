/**
 * A small model of how IAM decides one request against policy documents, for the parts these policies use
 * (docs/platform-facts.md, "How the tests evaluate IAM policies"):
 * - a statement applies when its Action matches (case-insensitive, `*` and `?` wildcards), its Resource matches
 *   (case-sensitive, same wildcards; a request for an action without resource scope is made on `*`, which only
 *   `*` matches), its Principal matches (trust policies) and every condition holds;
 * - condition key names are case-insensitive (so is the tag key in `aws:RequestTag/<key>`);
 * - conditions: every operator and every key must hold (AND), any one of a key's values may match (OR); a key
 *   missing from the request makes the condition false, except for negated operators (StringNotEquals: true) and
 *   Null, which tests presence; StringEquals compares exactly, StringLike with wildcards, ...IgnoreCase without
 *   case; a multivalued key (aws:TagKeys, acm:DomainNames) needs ForAnyValue: (true if any request value matches,
 *   false if absent) or ForAllValues: (true if every request value matches, and so also if absent);
 * - an explicit Deny wins over any Allow; no matching Allow is an implicit deny; with a permissions boundary, both
 *   the identity policies and the boundary must allow.
 * Operators this model does not know throw, and so does a single-valued operator on a multivalued key, so a policy
 * can never pass on something the model skipped.
 */

export interface ModelStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Principal?: { readonly Federated?: string };
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface ModelPolicy {
    readonly Statement: readonly ModelStatement[];
}

export interface IamRequest {
    readonly action: string;
    /** The resource ARN, or `*` for an action that takes no resource scope; unused for trust policies. */
    readonly resource?: string;
    /** For a trust policy: the federated principal (identity provider ARN) the token comes from. */
    readonly federatedPrincipal?: string;
    /** Request context keys to their values: claims, tags, region, service names; a list for aws:TagKeys. */
    readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = "allow" | "implicit-deny" | "explicit-deny";

function list(value: string | readonly string[] | undefined): readonly string[] {
    if (value === undefined) {
        return [];
    }
    return typeof value === "string" ? [value] : value;
}

// The policies and the calls repeat: each pattern is compiled once.
const compiled = new Map<string, RegExp>();

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
    const key = `${ignoreCase ? "i" : "s"}${pattern}`;
    let expression = compiled.get(key);
    if (expression === undefined) {
        const source = [...pattern]
            .map((character) =>
                character === "*" ? ".*" : character === "?" ? "." : character.replace(/[.+^${}()|[\]\\/-]/g, "\\$&"),
            )
            .join("");
        expression = new RegExp(`^${source}$`, ignoreCase ? "i" : "");
        compiled.set(key, expression);
    }
    return expression.test(value);
}

/** The request's value for a condition key, looked up without case as IAM does. */
function contextValue(request: IamRequest, key: string): string | readonly string[] | undefined {
    const wanted = key.toLowerCase();
    const found = Object.keys(request.context).find((candidate) => candidate.toLowerCase() === wanted);
    return found === undefined ? undefined : request.context[found];
}

const stringOperators = ["StringEquals", "StringEqualsIgnoreCase", "StringLike"] as const;

function stringMatches(operator: string, expected: readonly string[], actual: string): boolean {
    switch (operator) {
        case "StringEquals":
            return expected.includes(actual);
        case "StringEqualsIgnoreCase":
            return expected.some((value) => value.toLowerCase() === actual.toLowerCase());
        default:
            return expected.some((pattern) => wildcard(pattern, actual, false));
    }
}

function conditionHolds(
    operator: string,
    expected: readonly string[],
    actual: string | readonly string[] | undefined,
): boolean {
    const [qualifier, setOperator] = operator.includes(":") ? operator.split(":") : [undefined, undefined];
    const known: readonly string[] = [...stringOperators, "StringNotEquals", "Null"];
    if (
        (qualifier !== undefined && qualifier !== "ForAnyValue" && qualifier !== "ForAllValues") ||
        !known.includes(setOperator ?? operator) ||
        setOperator === "Null" ||
        setOperator === "StringNotEquals"
    ) {
        throw new Error(`the IAM model does not know condition operator ${operator}`);
    }
    if (operator === "Null") {
        return expected.every((value) => (value === "true") === (actual === undefined));
    }
    if (setOperator !== undefined) {
        const values = actual === undefined ? [] : list(actual);
        const matches = (value: string) => stringMatches(setOperator, expected, value);
        return qualifier === "ForAnyValue" ? values.some(matches) : values.every(matches);
    }
    if (actual !== undefined && typeof actual !== "string") {
        throw new Error(`the IAM model does not evaluate ${operator} on a multivalued key`);
    }
    if (operator === "StringNotEquals") {
        return actual === undefined || !expected.includes(actual);
    }
    return actual !== undefined && stringMatches(operator, expected, actual);
}

function applies(statement: ModelStatement, request: IamRequest): boolean {
    if (!list(statement.Action).some((action) => wildcard(action, request.action, true))) {
        return false;
    }
    if (statement.Principal !== undefined) {
        if (
            statement.Principal.Federated === undefined ||
            statement.Principal.Federated !== request.federatedPrincipal
        ) {
            return false;
        }
    } else {
        const resource = request.resource ?? "*";
        const patterns = list(statement.Resource);
        const matches = resource === "*" ? patterns.includes("*") : patterns.some((p) => wildcard(p, resource, false));
        if (!matches) {
            return false;
        }
    }
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, values]) =>
            conditionHolds(operator, list(values), contextValue(request, key)),
        ),
    );
}

/** IAM's decision for one request against the given policies (one role's identity policies, or its trust policy). */
export function evaluate(policies: readonly ModelPolicy[], request: IamRequest): Decision {
    const statements = policies.flatMap((policy) => policy.Statement);
    const matching = statements.filter((statement) => applies(statement, request));
    if (matching.some((statement) => statement.Effect === "Deny")) {
        return "explicit-deny";
    }
    return matching.some((statement) => statement.Effect === "Allow") ? "allow" : "implicit-deny";
}

/**
 * The decision for a principal with a permissions boundary: an explicit Deny in either wins, else both its identity
 * policies and the boundary must allow (IAM User Guide, "Permissions boundaries for IAM entities").
 */
export function evaluateBounded(
    identity: readonly ModelPolicy[],
    boundary: ModelPolicy,
    request: IamRequest,
): Decision {
    const decisions = [evaluate(identity, request), evaluate([boundary], request)];
    if (decisions.includes("explicit-deny")) {
        return "explicit-deny";
    }
    return decisions.every((decision) => decision === "allow") ? "allow" : "implicit-deny";
}

/** Every action a policy names, wildcards as written. */
export function actionsOf(policies: readonly ModelPolicy[]): string[] {
    return policies.flatMap((policy) => policy.Statement.flatMap((statement) => list(statement.Action)));
}
