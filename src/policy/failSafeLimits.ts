import { SEVERITIES } from "../core/index.ts";
import type { SeverityLimits } from "./Policy.ts";

/**
 * Applies the omission rule to one threshold table: a severity left out that is more severe than a
 * severity with a numeric limit is limited to 0, never unlimited by omission. Written limits (numbers,
 * and `null` = explicitly unlimited) are kept; severities left out below every limit stay left out.
 * Severities rank as listed in SEVERITIES: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED.
 * @example failSafeLimits({ HIGH: 0 }) // { CRITICAL: 0, HIGH: 0 }
 * @example failSafeLimits({ CRITICAL: null, MEDIUM: 3 }) // { CRITICAL: null, HIGH: 0, MEDIUM: 3 }
 */
export function failSafeLimits(limits: SeverityLimits): SeverityLimits {
  const filled: Partial<Record<(typeof SEVERITIES)[number], number | null>> = {};
  SEVERITIES.forEach((severity, rank) => {
    const written = limits[severity];
    if (written !== undefined) filled[severity] = written;
    else if (SEVERITIES.slice(rank + 1).some((less) => typeof limits[less] === "number"))
      filled[severity] = 0;
  });
  return filled;
}
