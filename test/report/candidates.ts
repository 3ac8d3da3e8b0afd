import type { Finding } from "../../src/findings/index.ts";
import { evaluatePolicy, type SummarizeOptions, summarizeVerdict } from "../../src/policy/index.ts";
import {
  type Candidate,
  decide,
  markPromoted,
  recordReplication,
  recordScan,
  timeOut,
} from "../../src/release/index.ts";
import { rawSample } from "../events/awsSamples.ts";
import { finding, policyFrom, scanOf } from "../policy/support.ts";
import { AMD64, ARM64, at, COMMIT, registered, scan, stateOf } from "../release/fixtures.ts";

export { AMD64, ARM64, COMMIT, INDEX, key } from "../release/fixtures.ts";

const POLICY = policyFrom(`version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0 }
  unfixable: { CRITICAL: 0 }
allowlist:
  - { id: CVE-2025-0001, reason: "not reachable", owner: team-a, expires: "2026-12-01" }
`);

/** A HIGH fixable finding with a fix version and a link. */
export function highFinding(id: string, pkg = "openssl"): Finding {
  return {
    ...finding(id, "HIGH", "YES", pkg),
    fixedInVersion: "1.1",
    link: `https://nvd.nist.gov/vuln/detail/${id}`,
    title: `${pkg} bug`,
  };
}

/** A candidate with both platforms scanned COMPLETE and no decision. */
export function scanned(): Candidate {
  let state = registered();
  state = stateOf(recordScan(state, scan(AMD64, "COMPLETE", 5, { counts: { HIGH: 1 } })));
  return stateOf(recordScan(state, scan(ARM64, "COMPLETE", 6)));
}

/** A candidate decided by the real policy on these findings (the same findings on both platforms). */
export function decidedWith(findings: readonly Finding[], options: SummarizeOptions = {}): Candidate {
  const state = scanned();
  const verdict = evaluatePolicy({
    policy: POLICY,
    repository: state.key.repository,
    platforms: state.children.map((c) => ({
      platform: c.platform,
      digest: c.digest,
      scan: scanOf(c.digest, findings, { repository: state.key.repository }),
    })),
    now: at(10),
  });
  const summary = summarizeVerdict(verdict, options);
  return stateOf(
    decide(state, {
      outcome: verdict.outcome === "pass" ? "passed" : "failed",
      reasons: summary,
      now: at(10),
    }),
  );
}

/** A rejected candidate with `n` blocking HIGH findings. */
export function rejected(n = 2, options: SummarizeOptions = {}): Candidate {
  const findings = Array.from({ length: n }, (_, i) =>
    highFinding(`CVE-2024-${String(1000 + i)}`, `pkg${i}`),
  );
  return decidedWith(findings, options);
}

/** A promoted candidate replicating to two regions: eu-west-1 replicated, ap-south-1 as given. */
export function promoted(apSouth: "pending" | "failed" | "replicated" = "pending"): Candidate {
  let state = decidedWith([{ ...highFinding("CVE-2025-0001"), severity: "HIGH" }]);
  state = stateOf(
    markPromoted(state, { tags: ["main", "latest"], now: at(11), replicateTo: ["eu-west-1", "ap-south-1"] }),
  );
  state = stateOf(recordReplication(state, { region: "eu-west-1", outcome: "replicated", now: at(12) }));
  if (apSouth === "pending") return state;
  return stateOf(
    recordReplication(state, {
      region: "ap-south-1",
      outcome: apSouth,
      now: at(13),
      ...(apSouth === "failed" && { error: "AccessDenied: not authorized to perform ecr:PutImage" }),
    }),
  );
}

/** A candidate failed closed at its deadline with arm64 never scanned. */
export function timedOut(): Candidate {
  const state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 5)));
  return stateOf(timeOut(state, at(61)));
}

type BuildSample = {
  detail: Record<string, unknown> & { "additional-information": { environment: Record<string, unknown> } };
};

/** AWS's sample CodeBuild event (one build of a batch) with a Portcullis build's variables. */
export function buildEvent(status: string, variables: Record<string, string> = {}): Record<string, unknown> {
  const sample = rawSample("codebuild-build-state-change.json") as unknown as BuildSample;
  sample.detail["build-status"] = status;
  sample.detail["additional-information"].environment["environment-variables"] = Object.entries({
    PORTCULLIS_IMAGE: "123456789012.dkr.ecr.us-west-2.amazonaws.com/payments/api",
    PORTCULLIS_COMMIT: COMMIT,
    PORTCULLIS_REF: "refs/heads/main",
    PORTCULLIS_SOURCE_URL: "https://github.com/octo/shop",
    PORTCULLIS_STEP: "image",
    PORTCULLIS_PLATFORM: "linux/arm64",
    ...variables,
  }).map(([name, value]) => ({ name, value, type: "PLAINTEXT" }));
  return sample as unknown as Record<string, unknown>;
}
