import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { appRuntimeVariable } from "./expressModeService";
import { ecrPullGrants, policyFor, requirePolicyArn, serviceRoleArgs } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { componentType } from "./project";
import { checkArguments, wholeNumber } from "./rules";
import { appRunnerSizes, sizePairProblems, sizeRules } from "./sizing";

export interface AppRunnerServiceArgs {
    /**
     * The amd64 image's own manifest, pinned by digest. App Runner runs linux/amd64 only;
     * an arm64 image fails with "exec format error" (docs/platform-facts.md, "AWS App Runner").
     */
    readonly image: pulumi.Input<string>;
    /** The repository holding the image, to scope the access role's pull rights. */
    readonly repositoryArn: pulumi.Input<string>;
    readonly cpu?: number;
    readonly memory?: number;
    readonly port?: number;
    /** The managed policy every role of the service gets as its permissions boundary; none when unset. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const appRunnerServiceDefaults: Readonly<Required<Pick<AppRunnerServiceArgs, "cpu" | "memory" | "port">>> = {
    cpu: 1024,
    memory: 2048,
    port: 8080,
};

/** The image on AWS App Runner, deployed by Pulumi (automatic deployments off). */
export class AppRunnerService extends pulumi.ComponentResource {
    public readonly service: aws.apprunner.Service;
    /** `https://<service url>`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: AppRunnerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = { ...appRunnerServiceDefaults, ...args };
        checkArguments("AppRunnerService", appRunnerServiceRules, settings, (size) =>
            sizePairProblems(appRunnerSizes, size),
        );
        const image = requireDigestPinned("AppRunnerService", "image", args.image);
        requirePolicyArn("AppRunnerService", "permissionsBoundaryArn", args.permissionsBoundaryArn);
        super(componentType("apprunner", "AppRunnerService"), name, {}, opts);

        // build.apprunner.amazonaws.com is the principal App Runner uses to pull from private ECR.
        const accessRole = new aws.iam.Role(
            `${name}-access`,
            serviceRoleArgs("build.apprunner.amazonaws.com", args.permissionsBoundaryArn),
            { parent: this },
        );
        const accessPolicy = new aws.iam.RolePolicy(
            `${name}-access`,
            {
                role: accessRole.id,
                policy: policyFor([
                    ...ecrPullGrants(args.repositoryArn),
                    { actions: ["ecr:DescribeImages"], resources: [args.repositoryArn] },
                ]),
            },
            { parent: this },
        );

        this.service = new aws.apprunner.Service(
            name,
            {
                // App Runner names are account-wide and at most 40 characters; the provider has no auto-naming here.
                serviceName: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`.slice(0, 40),
                sourceConfiguration: {
                    autoDeploymentsEnabled: false,
                    authenticationConfiguration: { accessRoleArn: accessRole.arn },
                    imageRepository: {
                        imageRepositoryType: "ECR",
                        imageIdentifier: image,
                        // The API reserves only names starting with AWSAPPRUNNER, so PORT is ours to set and tells the
                        // server which port `port` routes to (docs/platform-facts.md, "AWS App Runner"); App Runner
                        // sets no variable of its own that names it, so the app is told.
                        imageConfiguration: {
                            port: String(settings.port),
                            runtimeEnvironmentVariables: {
                                PORT: String(settings.port),
                                [appRuntimeVariable]: "apprunner",
                            },
                        },
                    },
                },
                instanceConfiguration: { cpu: String(settings.cpu), memory: String(settings.memory) },
                healthCheckConfiguration: {
                    protocol: "HTTP",
                    path: "/healthz",
                    interval: 10,
                    timeout: 5,
                    healthyThreshold: 1,
                    unhealthyThreshold: 3,
                },
            },
            // A replacement (a new name or encryption setting: the replace-only fields) must delete the old service
            // first: created first, the new one would collide with the old one's name (docs/platform-facts.md, "AWS App Runner").
            { parent: this, dependsOn: [accessPolicy], deleteBeforeReplace: true },
        );

        this.url = pulumi.interpolate`https://${this.service.serviceUrl}`;
        this.registerOutputs({ url: this.url });
    }
}

/** What the size and port arguments allow; appRunnerSizes pairs cpu and memory. */
export const appRunnerServiceRules = { ...sizeRules(appRunnerSizes), port: wholeNumber(1, 65535) } as const;
