// What EksGraviton runs inside its cluster: the kubeconfig its Kubernetes provider uses, and the image index as a
// Deployment on arm64 nodes behind a LoadBalancer Service. Plain functions with the component as parent.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ARCHITECTURES } from "../policy-pack/architecture";
import { projectName } from "./project";

/** The node label the kubelet sets to Go's `runtime.GOARCH`, the OCI spelling (docs/platform-facts.md, "Amazon EKS clusters"). */
export const archLabel = "kubernetes.io/arch";

/** Schedules pods on Graviton nodes only. */
export const arm64NodeSelector: Readonly<Record<string, string>> = { [archLabel]: ARCHITECTURES.arm64.oci };

/** The port the Service's load balancer listens on. */
export const servicePort = 80;

/**
 * A kubeconfig for one EKS cluster whose user runs `aws eks get-token` for each connection, so no token is ever
 * stored in the state and each one is the deployer's own (docs/platform-facts.md, "Amazon EKS clusters").
 */
export function kubeconfigFor(
    clusterName: pulumi.Input<string>,
    endpoint: pulumi.Input<string>,
    certificateAuthority: pulumi.Input<string | undefined>,
    region: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.jsonStringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "eks", cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } }],
        users: [
            {
                name: "deployer",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: [
                            "eks",
                            "get-token",
                            "--cluster-name",
                            clusterName,
                            "--region",
                            region,
                            "--output",
                            "json",
                        ],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
        contexts: [{ name: "eks", context: { cluster: "eks", user: "deployer" } }],
        "current-context": "eks",
    });
}

export interface IndexWorkloadArgs {
    /** The image index, pinned by digest. */
    readonly image: pulumi.Input<string>;
    readonly containerPort: number;
    readonly replicas: number;
}

export interface IndexWorkload {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    /** `http://<host>` from the Service's load-balancer status; unknown until the load balancer exists. */
    readonly url: pulumi.Output<string | undefined>;
}

/** The image index as a Deployment pinned to arm64 nodes, reachable through a LoadBalancer Service. */
export function indexWorkload(
    name: string,
    args: IndexWorkloadArgs,
    opts: pulumi.CustomResourceOptions,
): IndexWorkload {
    const labels = { "app.kubernetes.io/name": projectName, "app.kubernetes.io/instance": name };
    // The app answers GET /healthz once it listens; readiness gates the load balancer, liveness restarts a hung one.
    const healthz = { httpGet: { path: "/healthz", port: args.containerPort } };
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-app`,
        {
            metadata: { labels },
            spec: {
                replicas: args.replicas,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    spec: {
                        nodeSelector: { ...arm64NodeSelector },
                        // The app calls no Kubernetes API.
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                name: "app",
                                image: args.image,
                                ports: [{ name: "http", containerPort: args.containerPort }],
                                env: [{ name: "PORT", value: String(args.containerPort) }],
                                readinessProbe: { ...healthz, periodSeconds: 10, failureThreshold: 3 },
                                livenessProbe: { ...healthz, initialDelaySeconds: 10, periodSeconds: 20 },
                                resources: {
                                    requests: { cpu: "100m", memory: "128Mi" },
                                    limits: { memory: "256Mi" },
                                },
                                // The image runs as user 1000 (app/Dockerfile).
                                securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
                            },
                        ],
                    },
                },
            },
        },
        opts,
    );
    // Without the AWS Load Balancer Controller, the cloud provider in the control plane makes a Classic Load
    // Balancer in the public subnets for this Service (docs/platform-facts.md, "Amazon EKS clusters").
    const service = new k8s.core.v1.Service(
        `${name}-app`,
        {
            metadata: { labels },
            spec: {
                type: "LoadBalancer",
                selector: labels,
                ports: [{ name: "http", port: servicePort, targetPort: "http", protocol: "TCP" }],
            },
        },
        opts,
    );
    const url = service.status.apply((status) => {
        // An AWS load balancer is reached by DNS name; the ingress entry carries `hostname`, not `ip`.
        const host = status?.loadBalancer?.ingress?.[0]?.hostname;
        return host === undefined || host === "" ? undefined : `http://${host}`;
    });
    return { deployment, service, url };
}
