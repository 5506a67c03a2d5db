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
