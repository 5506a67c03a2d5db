// What the mocked AWS, BuildKit and awsx answer the program: the computed outputs of each resource type the program
// registers and the invokes it makes, modelled on what the real services return.
import * as crypto from "crypto";
import { eksMockState, identityMockInvoke } from "./mocksEks";

export const mockAccountId = "123456789012";

export function shortHash(...parts: unknown[]): string {
    return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

function serviceOf(type: string): string {
    // "aws:ecs/service:Service" -> "ecs"
    return type.split(":")[1]?.split("/")[0] ?? "unknown";
}

/** Computed outputs that AWS, BuildKit and awsx would return, so wiring between resources is realistic. */
export function mockState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    region: string,
    preview: boolean,
): Record<string, unknown> {
    const account = mockAccountId;
    const physicalName = typeof inputs.name === "string" ? inputs.name : `${name}-${shortHash(name).slice(0, 7)}`;
    const arn = `arn:aws:${serviceOf(type)}:${region}:${account}:${type.split(":")[2]?.toLowerCase() ?? "resource"}/${physicalName}`;
    const base = { ...inputs, name: physicalName, arn };
    switch (type) {
        case "aws:ecr/repository:Repository":
            return {
                ...base,
                arn: `arn:aws:ecr:${region}:${account}:repository/${physicalName}`,
                registryId: account,
                repositoryUrl: `${account}.dkr.ecr.${region}.amazonaws.com/${physicalName}`,
            };
        // As pulumi-docker-build v0.0.22 answers (provider/internal/image.go, Create): a preview with
        // buildOnPreview false returns before building, with no digest and the first tag as the ref; one
        // that builds pushes nothing but reports the local build's digest, which the update will not push.
        case "docker-build:index:Image": {
            const tags = (inputs.tags as string[] | undefined) ?? [];
            if (preview) {
                const localDigest =
                    inputs.buildOnPreview === false ? "" : `sha256:${shortHash("local build", name, inputs.platforms)}`;
                return {
                    ...inputs,
                    digest: localDigest,
                    ref: localDigest === "" ? tags[0] : `${tags[0]}@${localDigest}`,
                    contextHash: shortHash(inputs.context),
                };
            }
            const digest = `sha256:${shortHash(type, name, inputs.platforms, inputs.tags)}`;
            return { ...inputs, digest, ref: `${tags[0]}@${digest}`, contextHash: shortHash(inputs.context) };
        }
        case "docker-build:index:Index": {
            if (preview) {
                return { ...inputs, ref: inputs.tag };
            }
            const digest = `sha256:${shortHash(type, name, inputs.sources)}`;
            return { ...inputs, ref: `${inputs.tag}@${digest}` };
        }
        case "awsx:ec2:Vpc":
            return {
                vpcId: "vpc-0a1b2c3d4e5f60718",
                publicSubnetIds: ["subnet-0aaa000000000001a", "subnet-0aaa000000000002b"],
                privateSubnetIds: ["subnet-0bbb000000000001a", "subnet-0bbb000000000002b"],
                isolatedSubnetIds: [],
            };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                ...base,
                arn: `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${physicalName}/50dc6c495c0c9188`,
                arnSuffix: `app/${physicalName}/50dc6c495c0c9188`,
                dnsName: `${physicalName}-1234567890.${region}.elb.amazonaws.com`,
                // The hosted zone ELB answers ALB names from; an alias record points at it (us-east-1's shown).
                zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/targetGroup:TargetGroup":
            return {
                ...base,
                arn: `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${physicalName}/73e2d6bc24d8a067`,
                arnSuffix: `targetgroup/${physicalName}/73e2d6bc24d8a067`,
            };
        case "aws:lambda/function:Function":
            return {
                ...base,
                arn: `arn:aws:lambda:${region}:${account}:function:${physicalName}`,
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${physicalName}/invocations`,
            };
        case "aws:lambda/functionUrl:FunctionUrl":
            return { ...inputs, functionUrl: `https://${shortHash(name).slice(0, 32)}.lambda-url.${region}.on.aws/` };
        case "aws:apprunner/service:Service":
            return {
                ...base,
                serviceUrl: `${shortHash(name).slice(0, 10)}.${region}.awsapprunner.com`,
                serviceId: shortHash("apprunner", name).slice(0, 32),
            };
        // SNS names a topic by its name alone, CloudWatch an alarm by `alarm:<name>`, and a dashboard by `dashboard/<name>`.
        case "aws:sns/topic:Topic":
            return { ...base, arn: `arn:aws:sns:${region}:${account}:${physicalName}` };
        case "aws:sns/topicSubscription:TopicSubscription":
            return {
                ...inputs,
                arn: `${String(inputs.topic)}:${shortHash("subscription", name).slice(0, 8)}`,
                pendingConfirmation: true,
            };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { ...base, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${physicalName}` };
        case "aws:cloudwatch/dashboard:Dashboard":
            return {
                ...inputs,
                dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${String(inputs.dashboardName)}`,
            };
        // ACM asks for one CNAME per name: `_<token>.<name>.` pointing at `_<token>.acm-validations.aws.`.
        case "aws:acm/certificate:Certificate": {
            const token = shortHash("acm", name).slice(0, 32);
            return {
                ...inputs,
                arn: `arn:aws:acm:${region}:${account}:certificate/${[8, 4, 4, 4, 12].map((length, at) => shortHash(name, at).slice(0, length)).join("-")}`,
                status: "PENDING_VALIDATION",
                domainValidationOptions: [
                    {
                        domainName: inputs.domainName,
                        resourceRecordName: `_${token}.${String(inputs.domainName)}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${shortHash("value", name).slice(0, 32)}.acm-validations.aws.`,
                    },
                ],
            };
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            return { ...inputs, id: inputs.certificateArn };
        case "aws:route53/record:Record":
            return { ...inputs, fqdn: String(inputs.name).replace(/\.$/, "") };
        case "aws:ecs/expressGatewayService:ExpressGatewayService": {
            const serviceName = `${name}-${shortHash(name).slice(0, 7)}`;
            const cluster = String(inputs.cluster ?? "default");
            return {
                ...inputs,
                serviceName,
                serviceArn: `arn:aws:ecs:${region}:${account}:service/${cluster}/${serviceName}`,
                ingressPaths: [{ accessType: "PUBLIC", endpoint: `${serviceName}.ecs.${region}.on.aws` }],
            };
        }
        case "aws:iam/role:Role": // IAM role ARNs hold the path: role/<path><name>
            return { ...base, arn: `arn:aws:iam::${account}:role${String(inputs.path ?? "/")}${physicalName}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { ...base, arn: `arn:aws:logs:${region}:${account}:log-group:${physicalName}` };
        default:
            return eksMockState(type, name, inputs, base, region, account, preview) ?? base;
    }
}

export function mockInvoke(token: string, region: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {
                id: region,
                authorizationToken: Buffer.from("AWS:mock-ecr-password").toString("base64"),
                userName: "AWS",
                password: "mock-ecr-password",
                proxyEndpoint: `https://${mockAccountId}.dkr.ecr.${region}.amazonaws.com`,
                expiresAt: "2030-01-01T00:00:00Z",
            };
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                id: region,
                names: ["a", "b", "c"].map((zone) => `${region}${zone}`),
                zoneIds: ["1", "2", "3"].map((zone) => `use1-az${zone}`),
            };
        default: {
            const identity = identityMockInvoke(token, inputs, mockAccountId);
            if (identity !== undefined) {
                return identity;
            }
            // An invoke nobody answers would make the program see undefined; fail loudly instead.
            // The SDK re-raises a failed invoke with the gRPC error's `details` as its message.
            const message = `the test harness has no mock for invoke ${token}`;
            throw Object.assign(new Error(message), { details: message });
        }
    }
}
