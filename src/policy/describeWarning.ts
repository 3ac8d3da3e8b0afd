import type { PolicyWarning } from "./Verdict.ts";

/**
 * One sentence for a warning, naming the allowlist entry by id and by where it is in the policy.
 * @example describeWarning({ kind: "allowlist-unused", entry }) // "allowlist[3] CVE-2099-1: matches no finding; remove it?"
 */
export function describeWarning(warning: PolicyWarning): string {
  switch (warning.kind) {
    case "unsupported-image-excepted":
      return `${warning.platform}: NOT SCANNED — ECR cannot scan this image (${warning.status}); passed by the exception ${warning.entry.field} until ${warning.entry.expires} (owner ${warning.entry.owner}: ${warning.entry.reason})`;
    case "exception-expiring-soon": {
      const days = warning.daysLeft === 1 ? "1 day" : `${warning.daysLeft} days`;
      return `${warning.entry.field} (unsupported images): expires ${warning.entry.expires} (${days} left; owner ${warning.entry.owner})`;
    }
    case "exception-expired":
      return `${warning.entry.field} (unsupported images): expired ${warning.entry.expires} and no longer applies; renew or remove it (owner ${warning.entry.owner})`;
  }
  const entry = `${warning.entry.field} ${warning.entry.id}`;
  switch (warning.kind) {
    case "allowlist-expiring-soon": {
      const days = warning.daysLeft === 1 ? "1 day" : `${warning.daysLeft} days`;
      return `${entry}: expires ${warning.entry.expires} (${days} left; owner ${warning.entry.owner})`;
    }
    case "allowlist-expired":
      return `${entry}: expired ${warning.entry.expires} and no longer applies; renew or remove it (owner ${warning.entry.owner})`;
    case "allowlist-unused":
      return `${entry}: matches no finding; remove it?`;
  }
}
