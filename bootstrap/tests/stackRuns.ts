// The main program as a deploy job runs it, shared by the tests that check the deploy roles against its calls.
import * as assert from "assert";
import { ProgramRun, projectName, runProgram } from "../../harness";
import { StackDomain } from "../config";
import { exampleRepository, BootstrapRun } from "./harness";

const runs = new Map<string, Promise<ProgramRun>>();

/** The domain each stack serves HTTPS on in these tests; the bootstrap is told the same (`domains`). */
export const testDomains: Readonly<Record<string, StackDomain>> = {
    dev: { domainName: "dev.app.example.com", hostedZoneId: "Z0DEV000000000000000A" },
    prod: { domainName: "app.example.com", hostedZoneId: "Z0PROD00000000000000B" },
};

/** The bootstrap config the deploy-role tests run with: the example repository and the stacks' domains. */
export const bootstrapForDeploys: Readonly<Record<string, unknown>> = {
    "graviton-bootstrap:repository": exampleRepository,
    "graviton-bootstrap:domains": testDomains,
};

/** An ACM certificate in the stacks' region, for HTTPS with an existing certificate. */
export const testCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";

/**
 * Every optional feature of a stack, so each of its roles and resources is registered: App Runner, Express Mode,
 * EKS, Fargate Spot for the ARM service and HTTPS for the stack's domain (the certificate requested and validated
 * in its zone), or, with `https: "certificate"`, HTTPS with an existing certificate instead.
 */
export function everyFeature(stack: string, https: "domain" | "certificate" = "domain"): Record<string, unknown> {
    const domain = testDomains[stack];
    assert.ok(domain !== undefined, `no test domain for stack ${stack}`);
    return {
        [`${projectName}:appRunner.enabled`]: true,
        [`${projectName}:expressMode.enabled`]: true,
        [`${projectName}:eks.enabled`]: true,
        [`${projectName}:service.armSpot`]: true,
        ...(https === "domain"
            ? {
                  [`${projectName}:service.domainName`]: domain.domainName,
                  [`${projectName}:service.hostedZoneId`]: domain.hostedZoneId,
              }
            : { [`${projectName}:service.certificateArn`]: testCertificateArn }),
    };
}

/**
 * The program for `stack` with every optional feature on, and with the permissions boundary its deploy role creates
 * roles with, as the stack file sets it; shared by the tests that only read it.
 */
export function deployedRun(
    stack: string,
    permissionsBoundaryArn: string,
    https: "domain" | "certificate" = "domain",
): Promise<ProgramRun> {
    const key = `${stack} ${permissionsBoundaryArn} ${https}`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runProgram(stack, {
            config: {
                ...everyFeature(stack, https),
                [`${projectName}:iam.permissionsBoundaryArn`]: permissionsBoundaryArn,
            },
        });
        runs.set(key, run);
    }
    return run;
}

/** The same program in a preview (nothing created, outputs unknown), to see the invokes a preview role runs. */
export function previewRun(stack: string): Promise<ProgramRun> {
    const key = `${stack} preview`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runProgram(stack, { preview: true, config: everyFeature(stack) });
        runs.set(key, run);
    }
    return run;
}

/** The boundary the bootstrap made for a deploy environment, as its `roles` output gives it. */
export function boundaryOf(bootstrap: BootstrapRun, environment: string): string {
    const roles = bootstrap.outputs.roles as Record<string, { permissionsBoundaryArn?: string }>;
    const arn = roles[environment]?.permissionsBoundaryArn;
    assert.ok(arn !== undefined && arn !== "", `no permissions boundary for ${environment}`);
    return arn;
}
