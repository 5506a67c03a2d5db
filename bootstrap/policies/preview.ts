import { NamedPolicy, policyDocument } from "./document";
import { RoleScope } from "./scope";
import { SecretsAccess, secretsStatements } from "./secrets";
import { StateAccess, stateStatements } from "./state";

/**
 * What `pulumi preview` of graviton-multiarch calls in AWS, without `--refresh` (the workflows do not refresh):
 * the provider checks its credentials with sts:GetCallerIdentity, which needs no permission; awsx's Vpc lists the
 * region's zones; MultiArchImage asks ECR for a registry token once the repository exists; with EKS on, the program
 * reads the role it runs as. Nothing is built or pushed (`buildOnPreview: false`) and no resource is read
 * (docs/platform-facts.md, "What a preview calls").
 */
export function previewPolicies(scope: RoleScope, access: StateAccess & SecretsAccess): NamedPolicy[] {
    return [
        {
            name: "preview",
            description: "pulumi preview of graviton-multiarch: read-only",
            document: policyDocument([
                {
                    Sid: "AvailabilityZonesForTheVpc",
                    Effect: "Allow",
                    Action: ["ec2:DescribeAvailabilityZones"],
                    Resource: ["*"],
                    Condition: { StringEquals: { "aws:RequestedRegion": scope.region } },
                },
                {
                    // GetAuthorizationToken takes no resource scope (ECR API reference).
                    Sid: "RegistryTokenForTheImageBuild",
                    Effect: "Allow",
                    Action: ["ecr:GetAuthorizationToken"],
                    Resource: ["*"],
                    Condition: { StringEquals: { "aws:RequestedRegion": scope.region } },
                },
                {
                    // aws.iam.getSessionContext turns the session into its role with GetRole on that role.
                    Sid: "ReadOwnRoleForTheSessionContext",
                    Effect: "Allow",
                    Action: ["iam:GetRole"],
                    Resource: [scope.roleArn],
                },
                ...stateStatements(scope, access, false),
                ...secretsStatements(access),
            ]),
        },
    ];
}
