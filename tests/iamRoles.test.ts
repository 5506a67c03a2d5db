import * as assert from "assert";
import { everyRuntimeRun } from "./harness";

describe("IAM roles of the program", () => {
    for (const stack of ["dev", "prod"]) {
        it(`puts every role of ${stack} under /graviton-multiarch/${stack}/, the only path its deploy role reaches`, async () => {
            const roles = (await everyRuntimeRun(stack)).ofType<{ path?: string }>("aws:iam/role:Role");
            assert.strictEqual(roles.length, 4);
            assert.deepStrictEqual(
                roles.map((role) => [role.name, role.inputs.path]),
                roles.map((role) => [role.name, `/graviton-multiarch/${stack}/`]),
            );
        });
    }
});
