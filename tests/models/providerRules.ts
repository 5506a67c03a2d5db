// The project's model of the providers' diff: for every top-level input this program sets, what the provider does when
// the program changes that input on an existing resource (update in place, replace, or update only when another input
// has a given value), each rule cited from provider source, never from memory.
//
// Pinned version: @pulumi/aws 7.48.0 is built on terraform-provider-aws v6.66.0 (commit
// 351a07f09bffcde77bddcc35060e3da3e9a591ee): the pulumi-proserv/pulumi-tool-import table importids/aws/v7/source.json
// (commit 76d6f590) maps pulumiVersion v7.48.0 to that upstreamVersion and upstreamRevision, and pulumi-aws release
// notes agree (v7.43.0 on upstream v6.60/v6.61, v7.45.0 on v6.63.0).
//
// What was read: no terraform-provider-aws file at 351a07f is stored and the repository is too large to fetch, so each
// aws source string says "terraform-provider-aws internal/service/<file>:<line> at <copy>", where <copy> is the stored
// copy whose lines were counted (a commit, or "stored copy <id>" when the store gives no commit). None of them is
// v6.66.0. Their ages, where known:
// - stored copy 5237802116 (ecs/service.go) is a 2026 file (copyright 2014-2026, identity annotations added after
//   v6.33.0) with capacityProviderStrategyCustomizeDiff (hashicorp/terraform-provider-aws#43533); its lines were
//   counted from the file's first character through line 811, and resourceServiceUpdate, the waiters and the two
//   CustomizeDiff functions were counted relative to those (an earlier count here was one line too high throughout).
// - 43678040 (ecs/express_gateway_service.go) predates #47568 (v6.43.0): its Delete waiter still stops at DRAINING.
//   The installed ecs/expressGatewayService.d.ts has the same arguments; the Delete rule is not modelled here.
// - 0040ea69 (iam/role.go, January 2023, v4.50.0 in development), 0072eea2 (ecr/repository.go, v4.56.0 in
//   development), 004b82ba (ecr/repository_policy.go, v5.43.0 in development), a5509eea (ecs/cluster.go, v4.14.0 in
//   development), 0619e62a (ecs/cluster_capacity_providers.go, v4.3.0 in development), 04fc21d5
//   (ecs/task_definition.go, v4.55.0 in development) and 04c79849 (iam/role_policy_attachment.go, v4.3.0 in
//   development) are v4/v5 commits, dated by a mirror of the repository that ends at 1a5174b1 (2024-04-17, v5.46.0 in
//   development). For these the ForceNew/no-ForceNew status of every attribute modelled was re-checked in that mirror
//   at 1a5174b1 and is unchanged; between v5.46 and v6.66 only the upstream pull requests and changelog entries named
//   in the notes (ECS #43533, #47568, #48098; EKS vpc_config in place since v5.25.0) and the installed SDK's own docs
//   (node_modules/@pulumi/aws/<svc>/<res>.d.ts, which say "Updating this argument requires" where a rule is
//   conditional) were checked, so a change in that gap that the docs do not mention would not have been seen.
// - The other commits and stored copies are not in that mirror and their dates were not established; each rule there
//   was compared with the installed .d.ts only.
//
// docker-build was read at tag v0.0.22; kubernetes at the newest stored pulumi-kubernetes commit (its tags stop at
// v4.32.0); the bridge's DiffConfig at the newest stored pulumi-terraform-bridge commit. A source string names the
// Terraform attribute when it differs from the Pulumi name.

/** What the provider does when the program changes one argument of an existing resource. */
export type ChangeEffect =
    | { readonly kind: "update" }
    | { readonly kind: "replace" }
    /** Updated in place only when another argument has the given value; the provider's diff fails otherwise. */
    | { readonly kind: "update-requires"; readonly argument: string; readonly value: unknown };

export interface PropertyRule {
    readonly effect: ChangeEffect;
    /** Where the rule is written: repository path:line at the copy read (see the header for its age), or a doc page. */
    readonly source: string;
    /** Set when the provider keeps the stored value once the program stops setting the argument (Optional + Computed). */
    readonly keptWhenUnset?: boolean;
}

/** The provider versions the rules were read at. */
export const pinnedProviders: Readonly<Record<string, string>> = {
    aws: "@pulumi/aws 7.48.0 (pulumi/pulumi-aws v7.48.0), built on terraform-provider-aws v6.66.0",
    "terraform-provider-aws":
        "v6.66.0, commit 351a07f09bffcde77bddcc35060e3da3e9a591ee (per pulumi-proserv/pulumi-tool-import " +
        "importids/aws/v7/source.json at 76d6f590); lines read at the stored copies named in each source",
    "pulumi-terraform-bridge":
        "DiffConfig read at 59de6c661df1e7561e6ece7ad7f1c835c63010c4 (2026-08-05, newest stored); the bridge version " +
        "that pulumi-aws 7.48.0 pins was not established",
    "docker-build": "0.0.22, pulumi/pulumi-docker-build tag v0.0.22 (commit eb787fad3785f384b7f4eae39e577ec90721772a)",
    kubernetes:
        "4.34.2; read at pulumi/pulumi-kubernetes 94977969d64112b04e19945818a7d5d5f38f631d (2026-07-01, newest stored; " +
        "provider/pkg/provider/diff.go and provider.go last changed 47f3819e, 2026-06-12); tag v4.34.2 is not stored",
};

const update: ChangeEffect = { kind: "update" };
const replace: ChangeEffect = { kind: "replace" };

/**
 * A rule read in terraform-provider-aws: `file` under internal/service/, `line` counted in the copy `at` (a commit or
 * a stored copy; not the pinned v6.66.0, see the header).
 */
function tf(effect: ChangeEffect, file: string, line: number, at: string, note: string, keptWhenUnset?: true) {
    const source = `terraform-provider-aws internal/service/${file}:${line} at ${at}: ${note}`;
    const rule: PropertyRule = keptWhenUnset ? { effect, source, keptWhenUnset } : { effect, source };
    return rule;
}

function other(effect: ChangeEffect, source: string): PropertyRule {
    return { effect, source };
}

const acmCert = "01661ea3cbe6b07ed725b03c587d24ceb464484a";
const acmValidation = "004eea7f9b6658d88d652e89e10c7520a10ad6b8";
const aasPolicy = "stored copy 11158598336 (2014-2026 header)";
const aasTarget = "0105d2191ae7e43ba37ba011b916843eddf361ed";
const apprunner = "stored copy 1937356981";
const logGroup = "0073593e7d6993ba482409f4dc35438daaa79bb3";
const dashboard = "acde588265bb9030379201e363f9f682879b51bd";
const metricAlarm = "stored copy 53238791901 (a 2014-2026 file with the PromQL evaluation_criteria)";
const snsTopic = "cda04ab9f781590765d09e3883f1f56e29710079";
const snsSubscription = "7adaa6e634f93cf5e0cb386225284a9da853a7c8";
const sg = "stored copy 1663588308";
const ecrLifecycle = "00a35305dc1b297a6fcdecdfbba33f1e63c3da39";
const ecrRepo = "0072eea2d6046230a1fb7717741c17fd2122175e";
const ecrRepoPolicy = "004b82babcaf4d20bbc12b4e19caea237c681216";
const ecsCluster = "a5509eea2653a43641f17ee5adba67c5668ce6ad";
const ecsCcp = "0619e62a2f25aefdfc36b5c74a98d9f6dcc6d794";
const express = "43678040cd655d46d0c37bc486f971ddf5dc67f1";
const ecsService = "stored copy 5237802116 (a 2026 file, after #43533)";
const taskDef = "04fc21d56d73cb67a9bbef2aedcffe8fbfd07286";
const eksAccess = "01f431114674c27cf790fafb67ac274bf8f765e1";
const eksAddon = "00a35305dc1b297a6fcdecdfbba33f1e63c3da39";
const eksCluster = "00555dc5b38f92abbfa230badea0ed0754cea81e";
const eksNodeGroup = "012e0a32f0686212f447447fd3d81c3d0ce256ad";
const iamRole = "0040ea6911af00bea2cca6dbb14e86829826ad8e";
const iamRolePolicy = "stored copy 4616927945 (2014-2026 header)";
const iamAttachment = "04c79849dbe7fbe76c3054b364357bcdaade9ac5";
const lambdaFunction = "stored copy 2143746772";
const lambdaUrl = "stored copy 1975202453";
const lambdaPermission = "stored copy 4743292560 (2014-2026 header)";
const listener = "stored copy 4164048996";
const listenerRule = "stored copy 2058983980";
const loadBalancer = "stored copy 1325024694";
const targetGroup = "stored copy 1349870850";
const record = "00655c1681ea1e49ab10cd32d3f8bee372b2095b";
const sgRule = "d2b7f56a7c451244abd1e467109ba703bd9eedd3";

const ecsSvc = "ecs/service.go";
const alarmPut =
    "only alarm_name is ForceNew; resourceMetricAlarmUpdate puts the whole alarm again with PutMetricAlarm when " +
    "anything but the tags changes. Lines counted by hand in the read text; its schema (evaluation_criteria " +
    "included) matches the installed cloudwatch/metricAlarm.d.ts";
const cpsRule =
    "capacity_provider_strategy is Optional (not Computed, not ForceNew); CustomizeDiff (1367) runs " +
    'capacityProviderStrategyCustomizeDiff (2605-2613): `if d.Id() != "" && d.HasChange(capacity_provider_strategy)` ' +
    '(2608) and force_new_deployment is false (2609) it fails with "force_new_deployment should be true when ' +
    'capacity_provider_strategy is being updated" (2610); Update sends the new list, empty when removed (1797-1798). ' +
    "Launch type FARGATE -> strategy in place: add the strategy, set forceNewDeployment true and drop launchType (it is " +
    "Optional+Computed, so dropping it is no diff). Strategy -> launch type: the strategy change still needs " +
    "forceNewDeployment true (the check runs before the replacement diff), and launchType from empty to FARGATE is " +
    "ForceNew (806), so that direction replaces the service";

const dockerImage = "pulumi/pulumi-docker-build v0.0.22 provider/internal/image.go";
const dockerIndex = "pulumi/pulumi-docker-build v0.0.22 provider/internal/index.go";
const k8sDiff = "pulumi/pulumi-kubernetes 94977969 provider/pkg/provider/diff.go";
const k8sProvider = "pulumi/pulumi-kubernetes 94977969 provider/pkg/provider/provider.go";
const bridge = "pulumi/pulumi-terraform-bridge 59de6c66 pkg/tfbridge/provider.go";

const k8sMetadata = other(
    update,
    `${k8sDiff}:207-212 and ${k8sProvider}:1560: only .metadata.name and .metadata.namespace replace; labels and ` +
        "annotations update in place. The program sets only metadata.labels (the name is auto-named and stable)",
);
const k8sTypeFields = other(
    update,
    `${k8sDiff}:23-38: .apiVersion and .kind are not ForceNew fields; the SDK class fixes both, so the program cannot ` +
        "change them without changing the type token",
);
const sgRuleSource =
    "ModifyPlan requires replacement when the rule's source type changes (cidr_ipv4 <-> referenced_security_group_id, " +
    "sourceAttributeName); a change of value within one source type updates (ModifySecurityGroupRules)";

/** Rules by resource type token, then by top-level input property (the Pulumi camelCase name). */
export const providerRules: Readonly<Record<string, Readonly<Record<string, PropertyRule>>>> = {
    "aws:acm/certificate:Certificate": {
        domainName: tf(
            replace,
            "acm/certificate.go",
            96,
            acmCert,
            "domain_name Optional+Computed+ForceNew (100)",
            true,
        ),
        validationMethod: tf(
            replace,
            "acm/certificate.go",
            238,
            acmCert,
            "validation_method Optional+Computed+ForceNew (242)",
            true,
        ),
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        certificateArn: tf(
            replace,
            "acm/certificate_validation.go",
            40,
            acmValidation,
            "certificate_arn ForceNew (43); no Update, Delete is a no-op (33)",
        ),
        validationRecordFqdns: tf(
            replace,
            "acm/certificate_validation.go",
            45,
            acmValidation,
            "validation_record_fqdns ForceNew (48)",
        ),
    },
    "aws:appautoscaling/policy:Policy": {
        policyType: tf(
            update,
            "appautoscaling/policy.go",
            64,
            aasPolicy,
            "policy_type Optional, no ForceNew; Update is resourcePolicyPut (37)",
        ),
        resourceId: tf(replace, "appautoscaling/policy.go", 174, aasPolicy, "resource_id ForceNew"),
        scalableDimension: tf(replace, "appautoscaling/policy.go", 179, aasPolicy, "scalable_dimension ForceNew"),
        serviceNamespace: tf(replace, "appautoscaling/policy.go", 184, aasPolicy, "service_namespace ForceNew"),
        targetTrackingScalingPolicyConfiguration: tf(
            update,
            "appautoscaling/policy.go",
            238,
            aasPolicy,
            "target_tracking_scaling_policy_configuration: no ForceNew at any depth; PutScalingPolicy",
        ),
    },
    "aws:appautoscaling/target:Target": {
        maxCapacity: tf(update, "appautoscaling/target.go", 46, aasTarget, "max_capacity; RegisterScalableTarget"),
        minCapacity: tf(update, "appautoscaling/target.go", 50, aasTarget, "min_capacity; RegisterScalableTarget"),
        resourceId: tf(replace, "appautoscaling/target.go", 54, aasTarget, "resource_id ForceNew (57)"),
        scalableDimension: tf(replace, "appautoscaling/target.go", 64, aasTarget, "scalable_dimension ForceNew (67)"),
        serviceNamespace: tf(replace, "appautoscaling/target.go", 69, aasTarget, "service_namespace ForceNew (72)"),
    },
    "aws:apprunner/service:Service": {
        healthCheckConfiguration: tf(
            update,
            "apprunner/service.go",
            70,
            apprunner,
            "health_check_configuration Optional+Computed, no ForceNew (older 2021 copies had ForceNew)",
            true,
        ),
        instanceConfiguration: tf(
            update,
            "apprunner/service.go",
            116,
            apprunner,
            "instance_configuration Optional+Computed, no ForceNew",
            true,
        ),
        serviceName: tf(replace, "apprunner/service.go", 224, apprunner, "service_name ForceNew (227)"),
        sourceConfiguration: tf(
            update,
            "apprunner/service.go",
            233,
            apprunner,
            "source_configuration: no ForceNew at any depth",
        ),
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        name: tf(replace, "logs/group.go", 60, logGroup, "name Optional+Computed+ForceNew (64)", true),
        retentionInDays: tf(
            update,
            "logs/group.go",
            76,
            logGroup,
            "retention_in_days Optional, Default 0; Update puts or deletes the retention policy",
        ),
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        dashboardBody: tf(
            update,
            "cloudwatch/dashboard.go",
            37,
            dashboard,
            "dashboard_body Required, no ForceNew, JSON compared by meaning; Update is PutDashboard (22)",
        ),
        dashboardName: tf(replace, "cloudwatch/dashboard.go", 47, dashboard, "dashboard_name Required+ForceNew (50)"),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        alarmActions: tf(
            update,
            "cloudwatch/metric_alarm.go",
            65,
            metricAlarm,
            `alarm_actions Optional set; ${alarmPut}`,
        ),
        alarmDescription: tf(
            update,
            "cloudwatch/metric_alarm.go",
            76,
            metricAlarm,
            `alarm_description Optional; ${alarmPut}`,
        ),
        comparisonOperator: tf(
            update,
            "cloudwatch/metric_alarm.go",
            91,
            metricAlarm,
            `comparison_operator Optional (CustomizeDiff at 349 requires it for a metric or query alarm); ${alarmPut}`,
        ),
        datapointsToAlarm: tf(
            update,
            "cloudwatch/metric_alarm.go",
            96,
            metricAlarm,
            `datapoints_to_alarm Optional; ${alarmPut}`,
        ),
        dimensions: tf(
            update,
            "cloudwatch/metric_alarm.go",
            101,
            metricAlarm,
            `dimensions Optional, ConflictsWith metric_query (105); ${alarmPut}`,
        ),
        evaluateLowSampleCountPercentiles: tf(
            update,
            "cloudwatch/metric_alarm.go",
            107,
            metricAlarm,
            `evaluate_low_sample_count_percentiles Optional+Computed (109-110), ignore or evaluate; ${alarmPut}`,
            true,
        ),
        evaluationPeriods: tf(
            update,
            "cloudwatch/metric_alarm.go",
            158,
            metricAlarm,
            `evaluation_periods Optional (CustomizeDiff at 349 requires it); ${alarmPut}`,
        ),
        extendedStatistic: tf(
            update,
            "cloudwatch/metric_alarm.go",
            163,
            metricAlarm,
            `extended_statistic Optional, ConflictsWith statistic and metric_query (166); CustomizeDiff (349) wants exactly one of statistic or extended_statistic with metric_name; ${alarmPut}`,
        ),
        metricName: tf(
            update,
            "cloudwatch/metric_alarm.go",
            185,
            metricAlarm,
            `metric_name Optional, ConflictsWith metric_query (188); ${alarmPut}`,
        ),
        metricQueries: tf(
            update,
            "cloudwatch/metric_alarm.go",
            191,
            metricAlarm,
            `metric_query a set, no ForceNew at any depth; metric.period 1, 5, 10, 20, 30 or a multiple of 60 (236-243); ${alarmPut}`,
        ),
        namespace: tf(
            update,
            "cloudwatch/metric_alarm.go",
            286,
            metricAlarm,
            `namespace Optional, ConflictsWith metric_query (289); ${alarmPut}`,
        ),
        okActions: tf(update, "cloudwatch/metric_alarm.go", 295, metricAlarm, `ok_actions Optional set; ${alarmPut}`),
        period: tf(
            update,
            "cloudwatch/metric_alarm.go",
            307,
            metricAlarm,
            `period Optional, ConflictsWith metric_query (310); ${alarmPut}`,
        ),
        threshold: tf(update, "cloudwatch/metric_alarm.go", 324, metricAlarm, `threshold Optional; ${alarmPut}`),
        treatMissingData: tf(
            update,
            "cloudwatch/metric_alarm.go",
            335,
            metricAlarm,
            `treat_missing_data Optional, default missing; ${alarmPut}`,
        ),
        name: tf(replace, "cloudwatch/metric_alarm.go", 81, metricAlarm, "alarm_name Required+ForceNew (83-84)"),
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        description: tf(
            replace,
            "ec2/vpc_security_group.go",
            68,
            sg,
            "description ForceNew (71); pulumi-aws defaults it to `Managed by Pulumi`",
        ),
        vpcId: tf(replace, "ec2/vpc_security_group.go", 110, sg, "vpc_id Optional+ForceNew+Computed (113)", true),
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        policy: tf(replace, "ecr/lifecycle_policy.go", 43, ecrLifecycle, "policy ForceNew (46); no Update"),
        repository: tf(replace, "ecr/lifecycle_policy.go", 59, ecrLifecycle, "repository ForceNew (62)"),
    },
    "aws:ecr/repository:Repository": {
        encryptionConfigurations: tf(
            replace,
            "ecr/repository.go",
            46,
            ecrRepo,
            "encryption_configuration ForceNew (67), nested encryption_type and kms_key ForceNew too",
        ),
        forceDelete: tf(update, "ecr/repository.go", 69, ecrRepo, "force_delete: state only, no API call"),
        imageScanningConfiguration: tf(
            update,
            "ecr/repository.go",
            73,
            ecrRepo,
            "image_scanning_configuration; PutImageScanningConfiguration",
        ),
        imageTagMutability: tf(update, "ecr/repository.go", 87, ecrRepo, "image_tag_mutability; PutImageTagMutability"),
        imageTagMutabilityExclusionFilters: other(
            update,
            "terraform-provider-aws internal/service/ecr/repository.go at stored copy 5465205129 (a 2026 file, line not counted): " +
                "image_tag_mutability_exclusion_filter is Optional with no ForceNew, and resourceRepositoryUpdate sends " +
                "it with image_tag_mutability in one PutImageTagMutability call",
        ),
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        policy: tf(update, "ecr/repository_policy.go", 38, ecrRepoPolicy, "policy; Update is the Put function (30)"),
        repository: tf(replace, "ecr/repository_policy.go", 53, ecrRepoPolicy, "repository ForceNew (56)"),
    },
    "aws:ecs/cluster:Cluster": {
        configuration: tf(update, "ecs/cluster.go", 60, ecsCluster, "configuration; UpdateCluster"),
        settings: tf(update, "ecs/cluster.go", 142, ecsCluster, "setting Optional+Computed (144-145)", true),
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
        capacityProviders: tf(
            update,
            "ecs/cluster_capacity_providers.go",
            31,
            ecsCcp,
            "capacity_providers; Update is the Put function (23)",
        ),
        clusterName: tf(replace, "ecs/cluster_capacity_providers.go", 38, ecsCcp, "cluster_name ForceNew (41)"),
        defaultCapacityProviderStrategies: tf(
            update,
            "ecs/cluster_capacity_providers.go",
            47,
            ecsCcp,
            "default_capacity_provider_strategy",
        ),
    },
    "aws:ecs/expressGatewayService:ExpressGatewayService": {
        cluster: tf(
            update,
            "ecs/express_gateway_service.go",
            64,
            express,
            "cluster Optional+Computed, UseStateForUnknown, no RequiresReplace",
            true,
        ),
        cpu: tf(update, "ecs/express_gateway_service.go", 71, express, "cpu Optional+Computed", true),
        executionRoleArn: tf(update, "ecs/express_gateway_service.go", 84, express, "execution_role_arn Required"),
        healthCheckPath: tf(
            update,
            "ecs/express_gateway_service.go",
            88,
            express,
            "health_check_path Optional+Computed",
            true,
        ),
        infrastructureRoleArn: tf(
            replace,
            "ecs/express_gateway_service.go",
            92,
            express,
            "infrastructure_role_arn RequiresReplace (96)",
        ),
        memory: tf(update, "ecs/express_gateway_service.go", 100, express, "memory Optional+Computed", true),
        primaryContainer: tf(
            update,
            "ecs/express_gateway_service.go",
            134,
            express,
            "primary_container block, no RequiresReplace at any depth",
        ),
        scalingTargets: tf(
            update,
            "ecs/express_gateway_service.go",
            108,
            express,
            "scaling_target Optional+Computed; Update's diff ignores it (WithIgnoredField, 363), so a change of " +
                "scaling_target alone makes no UpdateExpressGatewayService call; it is sent only with another change",
            true,
        ),
        waitForSteadyState: tf(
            update,
            "ecs/express_gateway_service.go",
            127,
            express,
            "wait_for_steady_state Optional+Computed, default false; state only",
            true,
        ),
    },
    "aws:ecs/service:Service": {
        alarms: tf(
            update,
            ecsSvc,
            551,
            ecsService,
            "alarms Optional, MaxItems 1, no ForceNew; Update sends DeploymentConfiguration.Alarms when it changes " +
                "(1716-1722) in the one UpdateService call, which carries ForceNewDeployment as configured (1712): on the " +
                "ARM service, where it is true, a change of its alarms also starts a deployment",
        ),
        capacityProviderStrategies: {
            effect: { kind: "update-requires", argument: "forceNewDeployment", value: true },
            source: `terraform-provider-aws internal/service/${ecsSvc}:586 at ${ecsService}: ${cpsRule}`,
        },
        cluster: tf(replace, ecsSvc, 608, ecsService, "cluster Optional+Computed+ForceNew", true),
        deploymentCircuitBreaker: tf(update, ecsSvc, 614, ecsService, "deployment_circuit_breaker"),
        deploymentMaximumPercent: tf(update, ecsSvc, 746, ecsService, "deployment_maximum_percent; Update 1824"),
        deploymentMinimumHealthyPercent: tf(
            update,
            ecsSvc,
            757,
            ecsService,
            "deployment_minimum_healthy_percent; Update 1824",
        ),
        desiredCount: tf(update, ecsSvc, 768, ecsService, "desired_count; Update 1833"),
        enableEcsManagedTags: tf(update, ecsSvc, 775, ecsService, "enable_ecs_managed_tags; Update 1838"),
        enableExecuteCommand: tf(update, ecsSvc, 780, ecsService, "enable_execute_command; Update 1842"),
        forceNewDeployment: tf(
            update,
            ecsSvc,
            789,
            ecsService,
            "force_new_deployment Optional bool, no ForceNew; resourceServiceUpdate calls UpdateService whenever " +
                "anything but force_delete, tags and tags_all changes (HasChangesExcept, 1708) and always sends " +
                "ForceNewDeployment: d.Get(force_new_deployment) (1712), so setting it is itself such an update and " +
                "every later one redeploys; triggers is not required (triggersCustomizeDiff, 2582-2599, only drops a " +
                "triggers change when force_new_deployment is false)",
        ),
        healthCheckGracePeriodSeconds: tf(
            update,
            ecsSvc,
            793,
            ecsService,
            "health_check_grace_period_seconds; Update 1846",
        ),
        launchType: tf(
            replace,
            ecsSvc,
            804,
            ecsService,
            "launch_type ForceNew (806), Optional (807), Computed (808): removing it from the program is no diff; " +
                "any configured value other than the stored one replaces; Read stores the API's launchType (1645), " +
                "which ECS leaves empty for a service on a capacity provider strategy",
            true,
        ),
        loadBalancers: tf(update, ecsSvc, 811, ecsService, "load_balancer; Update 1850"),
        networkConfiguration: tf(update, ecsSvc, 871, ecsService, "network_configuration; Update 1856"),
        platformVersion: tf(update, ecsSvc, 939, ecsService, "platform_version Optional+Computed; Update 1890", true),
        propagateTags: tf(update, ecsSvc, 944, ecsService, "propagate_tags; Update 1894"),
        taskDefinition: tf(update, ecsSvc, 1197, ecsService, "task_definition; Update 1906"),
        waitForSteadyState: tf(
            update,
            ecsSvc,
            1209,
            ecsService,
            "wait_for_steady_state: not sent to ECS, but a change of it alone passes HasChangesExcept (1708), so " +
                "UpdateService is called with ForceNewDeployment as configured; it then selects the waiter (1943)",
        ),
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        containerDefinitions: tf(replace, "ecs/task_definition.go", 65, taskDef, "container_definitions ForceNew"),
        cpu: tf(replace, "ecs/task_definition.go", 87, taskDef, "cpu ForceNew"),
        executionRoleArn: tf(replace, "ecs/task_definition.go", 108, taskDef, "execution_role_arn ForceNew"),
        family: tf(replace, "ecs/task_definition.go", 114, taskDef, "family ForceNew"),
        memory: tf(replace, "ecs/task_definition.go", 148, taskDef, "memory ForceNew"),
        networkMode: tf(
            replace,
            "ecs/task_definition.go",
            153,
            taskDef,
            "network_mode Optional+Computed+ForceNew",
            true,
        ),
        requiresCompatibilities: tf(
            replace,
            "ecs/task_definition.go",
            215,
            taskDef,
            "requires_compatibilities ForceNew",
        ),
        runtimePlatform: tf(replace, "ecs/task_definition.go", 232, taskDef, "runtime_platform ForceNew"),
        taskRoleArn: tf(replace, "ecs/task_definition.go", 261, taskDef, "task_role_arn ForceNew"),
    },
    "aws:eks/accessEntry:AccessEntry": {
        clusterName: tf(replace, "eks/access_entry.go", 53, eksAccess, "cluster_name ForceNew (56)"),
        principalArn: tf(replace, "eks/access_entry.go", 75, eksAccess, "principal_arn ForceNew (78)"),
        type: tf(replace, "eks/access_entry.go", 83, eksAccess, "type ForceNew (86)"),
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
        accessScope: tf(
            replace,
            "eks/access_policy_association.go",
            46,
            eksAccess,
            "access_scope ForceNew (51); no Update",
        ),
        clusterName: tf(replace, "eks/access_policy_association.go", 74, eksAccess, "cluster_name ForceNew (77)"),
        policyArn: tf(replace, "eks/access_policy_association.go", 84, eksAccess, "policy_arn ForceNew (87)"),
        principalArn: tf(replace, "eks/access_policy_association.go", 90, eksAccess, "principal_arn ForceNew (93)"),
    },
    "aws:eks/addon:Addon": {
        addonName: tf(replace, "eks/addon.go", 55, eksAddon, "addon_name ForceNew (58)"),
        clusterName: tf(replace, "eks/addon.go", 74, eksAddon, "cluster_name ForceNew (77)"),
        resolveConflictsOnCreate: tf(
            update,
            "eks/addon.go",
            114,
            eksAddon,
            "resolve_conflicts_on_create Optional, no ForceNew; Update does not send it (state only)",
        ),
    },
    "aws:eks/cluster:Cluster": {
        accessConfig: tf(
            replace,
            "eks/cluster.go",
            94,
            eksCluster,
            "access_config Optional+Computed: authentication_mode updates in place, but nested " +
                "bootstrap_cluster_creator_admin_permissions, which the program sets, is ForceNew (110)",
            true,
        ),
        bootstrapSelfManagedAddons: tf(
            replace,
            "eks/cluster.go",
            120,
            eksCluster,
            "bootstrap_self_managed_addons ForceNew (123)",
        ),
        enabledClusterLogTypes: tf(update, "eks/cluster.go", 172, eksCluster, "enabled_cluster_log_types"),
        name: tf(replace, "eks/cluster.go", 281, eksCluster, "name ForceNew (284)"),
        roleArn: tf(replace, "eks/cluster.go", 385, eksCluster, "role_arn ForceNew (388)"),
        upgradePolicy: tf(update, "eks/cluster.go", 419, eksCluster, "upgrade_policy Optional+Computed", true),
        version: tf(update, "eks/cluster.go", 435, eksCluster, "version Optional+Computed", true),
        vpcConfig: tf(
            update,
            "eks/cluster.go",
            440,
            eksCluster,
            "vpc_config: no ForceNew on the nested fields the program sets (subnet_ids, endpoint_*_access; subnet " +
                "and security group ids in place since v5.25.0); the installed SDK adds control_plane_egress_mode, " +
                "which replaces on CUSTOMER_ROUTED -> AWS_MANAGED and which the program does not set",
        ),
    },
    "aws:eks/nodeGroup:NodeGroup": {
        amiType: tf(replace, "eks/node_group.go", 57, eksNodeGroup, "ami_type Optional+Computed+ForceNew (61)", true),
        capacityType: tf(
            replace,
            "eks/node_group.go",
            68,
            eksNodeGroup,
            "capacity_type Optional+Computed+ForceNew (68-72)",
            true,
        ),
        clusterName: tf(replace, "eks/node_group.go", 75, eksNodeGroup, "cluster_name ForceNew (78)"),
        instanceTypes: tf(
            replace,
            "eks/node_group.go",
            91,
            eksNodeGroup,
            "instance_types Optional+Computed+ForceNew (95)",
            true,
        ),
        nodeRoleArn: tf(replace, "eks/node_group.go", 164, eksNodeGroup, "node_role_arn ForceNew (167)"),
        scalingConfig: tf(update, "eks/node_group.go", 220, eksNodeGroup, "scaling_config"),
        subnetIds: tf(replace, "eks/node_group.go", 248, eksNodeGroup, "subnet_ids ForceNew (251)"),
        updateConfig: tf(update, "eks/node_group.go", 281, eksNodeGroup, "update_config Optional+Computed", true),
    },
    "aws:iam/role:Role": {
        assumeRolePolicy: tf(update, "iam/role.go", 49, iamRole, "assume_role_policy; UpdateAssumeRolePolicy"),
        name: tf(replace, "iam/role.go", 128, iamRole, "name Optional+Computed+ForceNew (132)", true),
        path: tf(replace, "iam/role.go", 144, iamRole, "path ForceNew (148)"),
        permissionsBoundary: tf(update, "iam/role.go", 151, iamRole, "permissions_boundary"),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        policy: tf(update, "iam/role_policy.go", 67, iamRolePolicy, "policy; Update is the Put function (47)"),
        role: tf(replace, "iam/role_policy.go", 78, iamRolePolicy, "role ForceNew (81)"),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        policyArn: tf(
            replace,
            "iam/role_policy_attachment.go",
            32,
            iamAttachment,
            "policy_arn ForceNew (35); no Update",
        ),
        role: tf(replace, "iam/role_policy_attachment.go", 27, iamAttachment, "role ForceNew (30)"),
    },
    "aws:lambda/function:Function": {
        architectures: tf(
            update,
            "lambda/function.go",
            68,
            lambdaFunction,
            "architectures Optional+Computed, no ForceNew",
            true,
        ),
        environment: tf(update, "lambda/function.go", 110, lambdaFunction, "environment"),
        imageUri: tf(update, "lambda/function.go", 213, lambdaFunction, "image_uri; UpdateFunctionCode"),
        loggingConfig: tf(update, "lambda/function.go", 240, lambdaFunction, "logging_config Optional+Computed", true),
        memorySize: tf(update, "lambda/function.go", 275, lambdaFunction, "memory_size"),
        packageType: tf(replace, "lambda/function.go", 281, lambdaFunction, "package_type ForceNew (284)"),
        role: tf(update, "lambda/function.go", 317, lambdaFunction, "role"),
        timeout: tf(update, "lambda/function.go", 386, lambdaFunction, "timeout"),
    },
    "aws:lambda/functionUrl:FunctionUrl": {
        authorizationType: tf(update, "lambda/function_url.go", 47, lambdaUrl, "authorization_type"),
        functionName: tf(replace, "lambda/function_url.go", 94, lambdaUrl, "function_name ForceNew (97)"),
    },
    "aws:lambda/permission:Permission": {
        action: tf(replace, "lambda/permission.go", 50, lambdaPermission, "action ForceNew (53); no Update"),
        function: tf(replace, "lambda/permission.go", 62, lambdaPermission, "function_name ForceNew (65)"),
        functionUrlAuthType: tf(
            replace,
            "lambda/permission.go",
            68,
            lambdaPermission,
            "function_url_auth_type ForceNew (71)",
        ),
        invokedViaFunctionUrl: tf(
            replace,
            "lambda/permission.go",
            74,
            lambdaPermission,
            "invoked_via_function_url ForceNew (77)",
        ),
        principal: tf(replace, "lambda/permission.go", 79, lambdaPermission, "principal ForceNew (82)"),
    },
    "aws:lb/listener:Listener": {
        certificateArn: tf(update, "elbv2/listener.go", 71, listener, "certificate_arn"),
        defaultActions: tf(
            update,
            "elbv2/listener.go",
            76,
            listener,
            "default_action: no ForceNew in any nested field (76-341); CustomizeDiff only validates actions",
        ),
        loadBalancerArn: tf(replace, "elbv2/listener.go", 342, listener, "load_balancer_arn ForceNew (345)"),
        port: tf(update, "elbv2/listener.go", 379, listener, "port"),
        protocol: tf(update, "elbv2/listener.go", 384, listener, "protocol Optional+Computed", true),
        sslPolicy: tf(update, "elbv2/listener.go", 526, listener, "ssl_policy Optional+Computed", true),
    },
    "aws:lb/listenerRule:ListenerRule": {
        actions: tf(
            update,
            "elbv2/listener_rule.go",
            69,
            listenerRule,
            "action Required: no ForceNew in any nested field (69-335), fixed_response among them (184-215: " +
                "content_type one of text/plain, text/css, text/html, application/javascript, application/json " +
                "(191-200), message_body at most 1024 characters (202-205), status_code matching ^[245]\\d\\d$ " +
                "(207-211)); Update sends a changed action list with ModifyRule",
        ),
        conditions: tf(
            update,
            "elbv2/listener_rule.go",
            336,
            listenerRule,
            "condition Required: no ForceNew in any nested field (336-451)",
        ),
        listenerArn: tf(replace, "elbv2/listener_rule.go", 452, listenerRule, "listener_arn ForceNew (455)"),
        priority: tf(
            update,
            "elbv2/listener_rule.go",
            458,
            listenerRule,
            "priority Optional+Computed, ForceNew: false (462), 1-50000 (40-41, validListenerRulePriority); Update " +
                "moves it with SetRulePriorities. Unset, Create takes the listener's highest priority + 1 and retries " +
                "on PriorityInUseException, so the program sets each rule's priority itself",
            true,
        ),
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        dropInvalidHeaderFields: tf(
            update,
            "elbv2/load_balancer.go",
            161,
            loadBalancer,
            "drop_invalid_header_fields Optional, Default false",
        ),
        internal: tf(
            replace,
            "elbv2/load_balancer.go",
            215,
            loadBalancer,
            "internal Optional+ForceNew+Computed (218)",
            true,
        ),
        loadBalancerType: tf(replace, "elbv2/load_balancer.go", 227, loadBalancer, "load_balancer_type ForceNew (229)"),
        securityGroups: tf(
            update,
            "elbv2/load_balancer.go",
            256,
            loadBalancer,
            "security_groups Optional+Computed; for the program's application type no ForceNew " +
                "(customizeDiffLoadBalancerNLB forces new only for type network when groups go none <-> some)",
            true,
        ),
        subnets: tf(
            update,
            "elbv2/load_balancer.go",
            294,
            loadBalancer,
            "subnets Optional+Computed; for type application customizeDiffLoadBalancerALB only marks " +
                "subnet_mapping computed (type network would force new when subnets are removed)",
            true,
        ),
    },
    "aws:lb/targetGroup:TargetGroup": {
        deregistrationDelay: tf(update, "elbv2/target_group.go", 76, targetGroup, "deregistration_delay Default 300"),
        healthCheck: tf(
            update,
            "elbv2/target_group.go",
            82,
            targetGroup,
            "health_check Optional+Computed: no ForceNew in any nested field (82-151); CustomizeDiff only validates",
            true,
        ),
        port: tf(replace, "elbv2/target_group.go", 203, targetGroup, "port ForceNew (206)"),
        protocol: tf(replace, "elbv2/target_group.go", 217, targetGroup, "protocol ForceNew (220)"),
        targetType: tf(replace, "elbv2/target_group.go", 384, targetGroup, "target_type ForceNew (388)"),
        vpcId: tf(replace, "elbv2/target_group.go", 391, targetGroup, "vpc_id ForceNew (394)"),
    },
    "aws:route53/record:Record": {
        aliases: tf(update, "route53/record.go", 64, record, "alias: no ForceNew; no CustomizeDiff"),
        allowOverwrite: tf(update, "route53/record.go", 91, record, "allow_overwrite Optional+Computed", true),
        name: tf(replace, "route53/record.go", 266, record, "name ForceNew (269)"),
        records: tf(update, "route53/record.go", 278, record, "records"),
        ttl: tf(update, "route53/record.go", 288, record, "ttl"),
        type: tf(update, "route53/record.go", 294, record, "type Required, no ForceNew"),
        zoneId: tf(replace, "route53/record.go", 321, record, "zone_id ForceNew (324)"),
    },
    "aws:sns/topic:Topic": {
        name: tf(replace, "sns/topic.go", 120, snsTopic, "name Optional+Computed+ForceNew (124)", true),
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        endpoint: tf(replace, "sns/topic_subscription.go", 45, snsSubscription, "endpoint Required+ForceNew (48)"),
        protocol: tf(replace, "sns/topic_subscription.go", 72, snsSubscription, "protocol Required+ForceNew (75)"),
        topic: tf(
            replace,
            "sns/topic_subscription.go",
            94,
            snsSubscription,
            "topic_arn Required+ForceNew (97); Delete treats a subscription still pending confirmation as gone",
        ),
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        cidrIpv4: tf(update, "ec2/vpc_security_group_ingress_rule.go", 185, sgRule, `cidr_ipv4; ${sgRuleSource}`),
        fromPort: tf(update, "ec2/vpc_security_group_ingress_rule.go", 200, sgRule, "from_port (shared rule schema)"),
        ipProtocol: tf(update, "ec2/vpc_security_group_ingress_rule.go", 207, sgRule, "ip_protocol Required"),
        referencedSecurityGroupId: tf(
            update,
            "ec2/vpc_security_group_ingress_rule.go",
            214,
            sgRule,
            `referenced_security_group_id; ${sgRuleSource}`,
        ),
        securityGroupId: tf(
            replace,
            "ec2/vpc_security_group_ingress_rule.go",
            217,
            sgRule,
            "security_group_id RequiresReplace (220)",
        ),
        toPort: tf(update, "ec2/vpc_security_group_ingress_rule.go", 231, sgRule, "to_port"),
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        cidrIpv4: tf(update, "ec2/vpc_security_group_ingress_rule.go", 185, sgRule, `cidr_ipv4; ${sgRuleSource}`),
        fromPort: tf(update, "ec2/vpc_security_group_ingress_rule.go", 200, sgRule, "from_port"),
        ipProtocol: tf(update, "ec2/vpc_security_group_ingress_rule.go", 207, sgRule, "ip_protocol Required"),
        referencedSecurityGroupId: tf(
            update,
            "ec2/vpc_security_group_ingress_rule.go",
            214,
            sgRule,
            `referenced_security_group_id; ${sgRuleSource}`,
        ),
        securityGroupId: tf(
            replace,
            "ec2/vpc_security_group_ingress_rule.go",
            217,
            sgRule,
            "security_group_id RequiresReplace (220)",
        ),
        toPort: tf(update, "ec2/vpc_security_group_ingress_rule.go", 231, sgRule, "to_port"),
    },
    "docker-build:index:Image": {
        buildOnPreview: other(update, `${dockerImage}:943 (Image.Diff, 928: every field is Kind Update)`),
        cacheFrom: other(update, `${dockerImage}:949`),
        cacheTo: other(update, `${dockerImage}:952`),
        context: other(
            update,
            `${dockerImage}:955-959 (context.location, context.named); a change in the build context's content ` +
                "also updates (contextHash, 1026-1036)",
        ),
        dockerfile: other(update, `${dockerImage}:962`),
        network: other(update, `${dockerImage}:981`),
        platforms: other(update, `${dockerImage}:987`),
        push: other(update, `${dockerImage}:993`),
        registries: other(
            update,
            `${dockerImage}:1038-1049: count, address or username changes update; password changes are ignored`,
        ),
        tags: other(update, `${dockerImage}:1012`),
    },
    "docker-build:index:Index": {
        push: other(
            update,
            `${dockerIndex}:317-353 (Index.Diff): push is not compared, so a change of push alone produces no diff ` +
                "and no Update",
        ),
        registry: other(
            replace,
            `${dockerIndex}:333-347: registry.address changed from a non-empty value replaces (336-337); username ` +
                "changes and adding or removing the registry update; password changes are ignored",
        ),
        sources: other(update, `${dockerIndex}:330-331`),
        tag: other(replace, `${dockerIndex}:327-328 (Kind UpdateReplace)`),
    },
    "kubernetes:apps/v1:Deployment": {
        apiVersion: k8sTypeFields,
        kind: k8sTypeFields,
        metadata: k8sMetadata,
        spec: other(
            replace,
            `${k8sDiff}:171-176 (registered for apps/v1 Deployment at 53-55): .spec.selector (matchLabels, ` +
                "matchExpressions), which the program sets, replaces; every other spec field, the pod template " +
                `included, updates in place (${k8sProvider}:1558-1566)`,
        ),
    },
    "kubernetes:core/v1:Service": {
        apiVersion: k8sTypeFields,
        kind: k8sTypeFields,
        metadata: k8sMetadata,
        spec: other(
            update,
            `${k8sDiff}:158-160: only .spec.clusterIP replaces, and the program does not set it; type, selector and ` +
                "ports update in place",
        ),
    },
    "pulumi:providers:aws": {
        defaultTags: other(
            update,
            `${bridge}:842-886: not ForcesProviderReplace, so the provider updates; each resource then diffs tagsAll`,
        ),
        region: other(
            replace,
            `pulumi/pulumi-aws provider/resources.go (read at 00ba5ea53c2548fd367776345b7c52f191ce1372, line not ` +
                `counted) Config["region"] ForcesProviderReplace: tfbridge.True(); ${bridge}:877-885 turns the change ` +
                "into a provider replacement, which replaces every resource using the provider",
        ),
        skipCredentialsValidation: other(update, `${bridge}:842-886: not ForcesProviderReplace`),
        skipRegionValidation: other(update, `${bridge}:842-886: not ForcesProviderReplace`),
    },
    "pulumi:providers:kubernetes": {
        kubeconfig: other(
            replace,
            `${k8sProvider}:454 (DiffConfig): replaces when kubeconfig is unknown at preview (504-514) or when the ` +
                "active cluster entry changes (551-559); a change that keeps the active cluster (server, CA) updates",
        ),
    },
};
