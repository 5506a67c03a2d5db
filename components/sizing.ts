/**
 * Valid Fargate task memory (MiB) for each task CPU value. A pair outside this table
 * is only rejected by ECS at deploy time, minutes in (docs/platform-facts.md, "Amazon ECS").
 */
export const fargateMemoryByCpu: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

/**
 * ECS Express Mode task sizes: Fargate pairs with CPU up to 4096 units and memory up to 8192 MiB, the limits the
 * provider documents for `aws.ecs.ExpressGatewayService` (docs/platform-facts.md, "Amazon ECS Express Mode").
 */
export const expressMemoryByCpu: Readonly<Record<number, readonly number[]>> = Object.fromEntries(
    Object.entries(fargateMemoryByCpu)
        .filter(([cpu]) => Number(cpu) <= 4096)
        .map(([cpu, memory]) => [cpu, memory.filter((mib) => mib <= 8192)]),
);

/** App Runner instance sizes: memory (MB) allowed for each CPU unit count (App Runner API, InstanceConfiguration). */
export const appRunnerMemoryByCpu: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024],
    512: [1024],
    1024: [2048, 3072, 4096],
    2048: [4096, 6144],
    4096: [8192, 10240, 12288],
};

/**
 * Checks a cpu/memory pair against a service's table of instance sizes (Fargate tasks,
 * App Runner instances), throwing an Error that names the component and what is allowed.
 */
export function requireSizePair(
    component: string,
    table: Readonly<Record<number, readonly number[]>>,
    cpu: number,
    memory: number,
): void {
    const allowedMemory = table[cpu];
    if (allowedMemory === undefined) {
        throw new Error(`${component}: cpu must be one of ${Object.keys(table).join(", ")}; got ${cpu}`);
    }
    if (!allowedMemory.includes(memory)) {
        throw new Error(
            `${component}: memory ${memory} is not valid with cpu ${cpu}; allowed: ${allowedMemory.join(", ")}`,
        );
    }
}

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) {
        values.push(value);
    }
    return values;
}
