import { dropUndefined } from "./dropUndefined.ts";
import type { ExploitAvailability, Finding, FixAvailability } from "./Finding.ts";
import type { EnhancedFindingInput } from "./scanFindingsSchema.ts";

type VulnerablePackage = NonNullable<
  EnhancedFindingInput["packageVulnerabilityDetails"]["vulnerablePackages"]
>[number];

/** Inspector's `fixedInVersion` when no fix exists. */
const NO_FIX = "NotAvailable";

/**
 * Maps an Inspector (enhanced) finding onto one {@link Finding} per vulnerable package (one without
 * a package when Inspector lists none). A package's own `fixedInVersion` refines the finding-level
 * `fixAvailable`: a version means YES, `NotAvailable` means NO (so PARTIAL resolves per package).
 * @example fromEnhancedFinding(finding, "linux/arm64") // [{ id: "CVE-2019-17498", package: "libssh2", … }]
 */
export function fromEnhancedFinding(input: EnhancedFindingInput, platform?: string): Finding[] {
  const details = input.packageVulnerabilityDetails;
  const shared = {
    id: details.vulnerabilityId,
    severity: input.severity,
    exploitAvailable: exploitAvailability(input.exploitAvailable),
    score: input.score ?? input.scoreDetails?.cvss?.score ?? bestCvss(details.cvss),
    link:
      details.sourceUrl || details.referenceUrls?.[0] || input.remediation?.recommendation?.url || undefined,
    title: input.title || undefined,
    description: input.description || undefined,
    platform,
    source: "enhanced" as const,
  };
  const findingFix = fixAvailability(input.fixAvailable);
  const packages = details.vulnerablePackages ?? [];
  if (packages.length === 0) return [dropUndefined({ ...shared, fixAvailable: findingFix })];
  return packages.map((pkg) =>
    dropUndefined({
      ...shared,
      package: pkg.name,
      installedVersion: installedVersion(pkg),
      fixedInVersion: pkg.fixedInVersion && pkg.fixedInVersion !== NO_FIX ? pkg.fixedInVersion : undefined,
      fixAvailable: packageFix(pkg, findingFix),
    }),
  );
}

function packageFix(pkg: VulnerablePackage, findingFix: FixAvailability): FixAvailability {
  if (pkg.fixedInVersion === NO_FIX) return "NO";
  if (pkg.fixedInVersion) return "YES";
  return findingFix;
}

/** `[epoch:]version[-release]`, the way rpm and dpkg print it. */
function installedVersion(pkg: VulnerablePackage): string | undefined {
  if (!pkg.version) return undefined;
  const epoch = pkg.epoch ? `${pkg.epoch}:` : "";
  const release = pkg.release ? `-${pkg.release}` : "";
  return `${epoch}${pkg.version}${release}`;
}

function fixAvailability(value: string | undefined): FixAvailability {
  return value === "YES" || value === "NO" || value === "PARTIAL" ? value : "UNKNOWN";
}

function exploitAvailability(value: string | undefined): ExploitAvailability {
  return value === "YES" || value === "NO" ? value : "UNKNOWN";
}

/** The highest CVSS v3 base score, else the highest of any version. */
function bestCvss(cvss: ReadonlyArray<{ baseScore?: number; version?: string }> | undefined) {
  const scores = (list: typeof cvss) =>
    (list ?? []).map((c) => c.baseScore).filter((s): s is number => s !== undefined);
  const v3 = scores(cvss?.filter((c) => c.version?.startsWith("3")));
  const all = v3.length > 0 ? v3 : scores(cvss);
  return all.length > 0 ? Math.max(...all) : undefined;
}
