import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ARCHITECTURES } from "../policy-pack/architecture";
import { logWriteGrant, policyFor, requirePolicyArn, serviceRoleArgs } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { componentType } from "./project";
import { checkArguments, oneOf, wholeNumber } from "./rules";

export const functionUrlAuthTypes = ["AWS_IAM", "NONE"] as const;
export type FunctionUrlAuthType = (typeof functionUrlAuthTypes)[number];

export interface ArmLambdaArgs {
    /**
     * The arm64 image's own manifest, pinned by digest (`<repo>@sha256:...`). Not the index:
     * Lambda rejects an image index (docs/platform-facts.md, "AWS Lambda").
     */
    readonly imageUri: pulumi.Input<string>;
    /** The repository holding the image; Lambda gets pull rights on it through its repository policy. */
    readonly repositoryName: pulumi.Input<string>;
    readonly memoryMb?: number;
    readonly timeoutSeconds?: number;
    /** `AWS_IAM` admits only signed requests; `NONE` makes the URL public. */
    readonly urlAuthType?: FunctionUrlAuthType;
    readonly logRetentionDays?: number;
    /** The port the app listens on inside the image, for the Lambda Web Adapter. */
    readonly appPort?: number;
    /** The managed policy the function's role gets as its permissions boundary; none when unset. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const armLambdaDefaults: Readonly<
    Required<Pick<ArmLambdaArgs, "memoryMb" | "timeoutSeconds" | "urlAuthType" | "logRetentionDays" | "appPort">>
> = {
    memoryMb: 512,
    timeoutSeconds: 30,
    urlAuthType: "AWS_IAM",
    logRetentionDays: 7,
    appPort: 8080,
};

/**
 * The image on AWS Lambda, Graviton (arm64) only, behind a function URL. The Lambda Web
 * Adapter inside the image turns invocations into HTTP requests to the app.
 */
export class ArmLambda extends pulumi.ComponentResource {
    public readonly function: aws.lambda.Function;
    public readonly functionUrl: aws.lambda.FunctionUrl;
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ArmLambdaArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = { ...armLambdaDefaults, ...args };
        checkArguments("ArmLambda", armLambdaRules, settings);
        const imageUri = requireDigestPinned("ArmLambda", "imageUri", args.imageUri);
        requirePolicyArn("ArmLambda", "permissionsBoundaryArn", args.permissionsBoundaryArn);
        super(componentType("lambda", "ArmLambda"), name, {}, opts);

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { retentionInDays: settings.logRetentionDays },
            { parent: this },
        );
        const role = new aws.iam.Role(name, serviceRoleArgs("lambda.amazonaws.com", args.permissionsBoundaryArn), {
            parent: this,
        });
        const rolePolicy = new aws.iam.RolePolicy(
            name,
            { role: role.id, policy: policyFor([logWriteGrant(logGroup.arn)]) },
            { parent: this },
        );

        // Lambda pulls container images with its service principal, not the function's role;
        // the repository policy is what lets it (Lambda developer guide, "Amazon ECR permissions").
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const repositoryPolicy = new aws.ecr.RepositoryPolicy(
            name,
            {
                repository: args.repositoryName,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "LambdaPullsFunctionImages",
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                            Condition: {
                                StringLike: {
                                    "aws:sourceArn": pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:*`,
                                },
                            },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        this.function = new aws.lambda.Function(
            name,
            {
                packageType: "Image",
                imageUri,
                architectures: [ARCHITECTURES.arm64.lambda],
                role: role.arn,
                memorySize: settings.memoryMb,
                timeout: settings.timeoutSeconds,
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: {
                    variables: {
                        PORT: String(settings.appPort),
                        AWS_LWA_PORT: String(settings.appPort),
                        AWS_LWA_READINESS_CHECK_PATH: "/healthz",
                    },
                },
            },
            { parent: this, dependsOn: [rolePolicy, repositoryPolicy] },
        );

        this.functionUrl = new aws.lambda.FunctionUrl(
            name,
            { functionName: this.function.name, authorizationType: settings.urlAuthType },
            { parent: this },
        );

        if (settings.urlAuthType === "NONE") {
            // Since October 2025 a public function URL needs both permissions (Lambda developer guide, "Control access to function URLs").
            new aws.lambda.Permission(
                `${name}-url-public`,
                {
                    function: this.function.name,
                    action: "lambda:InvokeFunctionUrl",
                    principal: "*",
                    functionUrlAuthType: "NONE",
                },
                { parent: this },
            );
            new aws.lambda.Permission(
                `${name}-invoke-via-url`,
                {
                    function: this.function.name,
                    action: "lambda:InvokeFunction",
                    principal: "*",
                    invokedViaFunctionUrl: true,
                },
                { parent: this },
            );
        }

        this.url = this.functionUrl.functionUrl;
        this.registerOutputs({ functionName: this.function.name, url: this.url });
    }
}

/** What the sizing and access arguments allow. */
export const armLambdaRules = {
    memoryMb: wholeNumber(128, 10240),
    timeoutSeconds: wholeNumber(1, 900),
    urlAuthType: oneOf(functionUrlAuthTypes),
} as const;
