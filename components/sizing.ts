import { oneOf, Problem, Rule, wholeNumber } from "./rules";

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

/** A service's table of sizes, and how its refusal names what has no such size. */
export interface SizeTable {
    /** `Fargate has no task size`: what the service lacks when a pair is not in the table. */
    readonly lacks: string;
    readonly memoryByCpu: Readonly<Record<number, readonly number[]>>;
}

export const fargateSizes: SizeTable = { lacks: "Fargate has no task size", memoryByCpu: fargateMemoryByCpu };
export const expressSizes: SizeTable = { lacks: "ECS Express Mode has no task size", memoryByCpu: expressMemoryByCpu };
export const appRunnerSizes: SizeTable = { lacks: "App Runner has no instance", memoryByCpu: appRunnerMemoryByCpu };

/** `cpu` one of the table's; `memory` a whole number within the table's smallest and largest. */
export function sizeRules(table: SizeTable): { readonly cpu: Rule<number>; readonly memory: Rule<number> } {
    const memory = Object.values(table.memoryByCpu).flat();
    return {
        cpu: oneOf(Object.keys(table.memoryByCpu).map(Number)),
        memory: wholeNumber(Math.min(...memory), Math.max(...memory)),
    };
}

/** A memory the table does not pair with the cpu, naming the memory allowed with it; none for a cpu not in the table. */
export function sizePairProblems(table: SizeTable, size: { readonly cpu: number; readonly memory: number }): Problem[] {
    const allowedMemory = table.memoryByCpu[size.cpu];
    if (allowedMemory === undefined || allowedMemory.includes(size.memory)) {
        return [];
    }
    return [
        {
            key: "memory",
            value: size.memory,
            message: `${table.lacks} with cpu ${size.cpu} and memory ${size.memory}; with cpu ${size.cpu} allowed memory is ${allowedMemory.join(", ")}`,
        },
    ];
}

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) {
        values.push(value);
    }
    return values;
}
