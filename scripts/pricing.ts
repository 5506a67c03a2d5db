/**
 * On-demand prices the cost report uses, us-east-1, in USD, from the AWS pricing pages
 * named with each entry as recorded in docs/platform-facts.md. This machine
 * cannot reach those pages: re-check them and move the date together with the figures.
 */
export const pricesRecordedOn = "2026-11-21";
export const pricingRegion = "us-east-1";

export const prices = {
    fargate: {
        source: "AWS Fargate pricing page (Linux)",
        x86: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
        arm: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
    },
    lambda: {
        source: "AWS Lambda pricing page",
        x86: { perGbSecond: 0.0000166667 },
        arm: { perGbSecond: 0.0000133334 },
        perMillionRequests: 0.2,
    },
    appRunner: {
        source: "AWS App Runner pricing page",
        perVcpuHourActive: 0.064,
        /** Charged for provisioned memory whether the instance is active or idle. */
        perGbHour: 0.007,
    },
} as const;

/** AWS bills a month as 730 hours. */
export const hoursPerMonth = 730;
