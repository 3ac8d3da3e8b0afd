import type { FailureReason } from "./Verdict.ts";

/**
 * One sentence for a failure reason, for logs, CLI output and notifications.
 * @example describeReason({ kind: "threshold-exceeded", platform: "linux/amd64", severity: "HIGH", fixability: "fixable", limit: 0, actual: 2, digest })
 * // => "linux/amd64: 2 fixable HIGH findings, limit 0"
 */
export function describeReason(reason: FailureReason): string {
  switch (reason.kind) {
    case "no-platforms":
      return "no platform images to evaluate (fail closed)";
    case "duplicate-platform":
      return `${reason.platform}: given more than once`;
    case "scan-missing":
      return `${reason.platform}: no scan result for ${reason.digest} (fail closed)`;
    case "scan-mismatch":
      return `${reason.platform}: scan is for ${reason.field} ${reason.actual}, expected ${reason.expected}`;
    case "scan-status-not-passable": {
      const detail = reason.description ? `: ${reason.description}` : "";
      if (reason.pending)
        return `${reason.platform}: scan still ${reason.status} when the decision was due${detail}`;
      return `${reason.platform}: scan status ${reason.status} (only COMPLETE or ACTIVE can pass)${detail}`;
    }
    case "provenance-mismatch":
      return `${reason.platform}: ${reason.detail} (fail closed)`;
    case "findings-incomplete": {
      const by = reason.countedBy === "scan-event" ? "the scan event counted" : "AWS counts";
      return `${reason.platform}: ${by} ${reason.reported} ${reason.severity} findings but ${reason.listed} are listed (findings not all listed yet, or pages missing)`;
    }
    case "threshold-exceeded": {
      const noun = reason.actual === 1 ? "finding" : "findings";
      return `${reason.platform}: ${reason.actual} ${reason.fixability} ${reason.severity} ${noun}, limit ${reason.limit}`;
    }
  }
}
