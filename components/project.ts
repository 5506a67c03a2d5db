/** The Pulumi project (`name` in Pulumi.yaml): the stack config namespace and the first part of each type token. */
export const projectName = "graviton-multiarch";

/** A component's type token, `<project>:<area>:<Component>` (pulumi-awsx's `awsx:ecs:FargateService` pattern). */
export function componentType(area: string, component: string): string {
    return `${projectName}:${area}:${component}`;
}
