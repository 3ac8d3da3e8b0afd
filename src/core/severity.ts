/** Severities, most severe first, as ECR basic scanning and Inspector report them. */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A count per severity, every severity present (AWS omits zero counts; we fill them in). */
export type SeverityCounts = Readonly<Record<Severity, number>>;

/** Counts with every severity at zero. */
export function emptySeverityCounts(): Record<Severity, number> {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 };
}

/** Maps AWS's severity spellings (Inspector's UNTRIAGED included) onto {@link Severity}. */
export function normalizeSeverity(value: string): Severity | undefined {
  const upper = value.trim().toUpperCase();
  if (upper === "UNTRIAGED") return "UNDEFINED";
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : undefined;
}
