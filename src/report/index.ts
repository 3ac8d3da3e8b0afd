export * from "./summarizeVerdict.ts";
export * from "./VerdictSummary.ts";
