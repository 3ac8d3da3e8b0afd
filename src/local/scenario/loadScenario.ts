import { access, readFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { z } from "zod";
import { formatIssue, parseWithSchema } from "../../core/index.ts";
import { formatPolicyIssue, type Policy, parsePolicy } from "../../policy/index.ts";
import { findingsFileName, LocalFindingsSource } from "../adapters/LocalFindingsSource.ts";
import { ScenarioError } from "../errors.ts";

/** The scenarios shipped in `examples/findings/`. */
export const SCENARIOS = [
  "pass",
  "fail",
  "allowlisted",
  "expired-allowlist",
  "scan-failed",
  "findings-lag",
  "unsupported",
  "demote-grace",
  "rescan-expired",
  "rollback",
  "demote",
  "provenance",
] as const;

/** What an operator does once two releases were promoted in turn (scenario.json `operate`). */
export const OPERATIONS = ["rollback", "demote"] as const;

/** One of {@link OPERATIONS}. */
export type Operation = (typeof OPERATIONS)[number];

/** What a scenario says should happen: the gate promotes the index, or rejects it. */
export type Expectation = "promoted" | "rejected";

/** What happens to a promoted image later, and what the reconciler should make of it. */
export interface AfterPromotion {
  /** A folder (relative to the scenario) whose responses are served from then on. */
  readonly findings: string;
  /** The `Inspector2 Finding` event that arrives. */
  readonly finding: {
    readonly platform: string;
    readonly id: string;
    readonly severity: string;
    readonly status: "ACTIVE" | "CLOSED";
    readonly package: string;
  };
  /** Simulated days that pass after the event (a grace period's deadline), then the reconciler runs. */
  readonly advanceDays: number;
  /** "notified": told, tags kept; "demoted": the tags were demoted; "unmonitored": reported no longer monitored. */
  readonly expect: "notified" | "demoted" | "unmonitored";
}

/** A folder of scan results (one DescribeImageScanFindings response per platform) and the policy to gate with. */
export interface Scenario {
  readonly name: string;
  readonly folder: string;
  readonly description?: string;
  /** What the scenario's author expects; a run that does otherwise fails. Absent: whatever the policy says. */
  readonly expect?: Expectation;
  readonly policyFile: string;
  readonly policy: Policy;
  /** Minutes of simulated time after which `<platform>.late.json` files are served (findings that lag the scan). */
  readonly lateAfterMinutes?: number;
  /** A later change on the promoted image (a new finding, the end of Inspector's rescan window). */
  readonly afterPromotion?: AfterPromotion;
  /** Two releases are built and promoted in turn, then the operator does this (see runReleases). */
  readonly operate?: Operation;
}

/** Options for {@link loadScenario}. */
export interface LoadScenarioOptions {
  /** A shipped scenario (folder `examplesDir/<name>`), unless `folder` is given. */
  readonly name?: string;
  /** Your own findings folder (`--findings DIR`). */
  readonly folder?: string;
  /** Where the shipped scenarios live (`examples/findings`). */
  readonly examplesDir: string;
  /** The policy when the scenario names none and has no `policy.yaml`. */
  readonly defaultPolicyFile: string;
  /** The platforms built: each needs its findings file. */
  readonly platforms: readonly string[];
}

const scenarioFileSchema = z.strictObject({
  description: z.string().optional(),
  expect: z.enum(["promoted", "rejected"]).optional(),
  /** Policy file, relative to the scenario folder. */
  policy: z.string().min(1).optional(),
  /** Serve `<platform>.late.json` once this many simulated minutes have passed. */
  lateAfterMinutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60)
    .optional(),
  afterPromotion: z
    .strictObject({
      findings: z.string().min(1),
      finding: z.strictObject({
        platform: z.string().min(1),
        id: z.string().min(1),
        severity: z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"]),
        status: z.enum(["ACTIVE", "CLOSED"]),
        package: z.string().min(1),
      }),
      advanceDays: z.number().int().nonnegative().max(365).default(0),
      expect: z.enum(["notified", "demoted", "unmonitored"]),
    })
    .optional(),
  /** Build and promote two releases, then do this. */
  operate: z.enum(OPERATIONS).optional(),
});

const POLICY_NAMES = ["policy.yaml", "policy.yml", "policy.json"];
const PLACEHOLDER = {
  region: "us-east-1",
  repository: "scenario/check",
  digest: `sha256:${"0".repeat(64)}`,
} as const;

/**
 * Finds and checks a scenario before anything starts: `scenario.json` (optional: description, expect,
 * policy), the policy (the scenario's, its `policy.yaml`, or the default), and one valid findings file per
 * platform. Throws {@link ScenarioError} listing every problem, each naming the file, field and value.
 * @example await loadScenario({ name: "fail", examplesDir, defaultPolicyFile, platforms: ["linux/amd64"] })
 */
export async function loadScenario(options: LoadScenarioOptions): Promise<Scenario> {
  const name = options.name ?? "pass";
  if (options.folder === undefined && !(SCENARIOS as readonly string[]).includes(name))
    throw new ScenarioError(name, [
      `unknown scenario ${JSON.stringify(name)}: use one of ${SCENARIOS.join(", ")}`,
    ]);
  const folder = resolve(options.folder ?? join(options.examplesDir, name));
  if (!(await exists(folder))) throw new ScenarioError(folder, ["the folder does not exist"]);
  const problems: string[] = [];
  const file = await readScenarioFile(folder, problems);
  const policyFile = file?.policy
    ? resolve(folder, file.policy)
    : ((await firstExisting(POLICY_NAMES.map((n) => join(folder, n)))) ?? options.defaultPolicyFile);
  const policy = await readPolicy(policyFile, problems);
  for (const platform of options.platforms) await checkFindings(folder, platform, problems);
  const after = file?.afterPromotion?.findings;
  if (after !== undefined)
    for (const platform of options.platforms) await checkFindings(resolve(folder, after), platform, problems);
  if (problems.length > 0 || !policy) throw new ScenarioError(folder, problems);
  return {
    name: options.folder === undefined ? name : basename(folder),
    folder,
    ...(file?.description !== undefined && { description: file.description }),
    ...(file?.expect !== undefined && { expect: file.expect }),
    ...(file?.lateAfterMinutes !== undefined && { lateAfterMinutes: file.lateAfterMinutes }),
    ...(file?.afterPromotion !== undefined && { afterPromotion: file.afterPromotion }),
    ...(file?.operate !== undefined && { operate: file.operate }),
    policyFile,
    policy,
  };
}

async function readScenarioFile(folder: string, problems: string[]) {
  const path = join(folder, "scenario.json");
  if (!(await exists(path))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    problems.push(`scenario.json is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = parseWithSchema(scenarioFileSchema, json);
  if (parsed.ok) return parsed.value;
  problems.push(...parsed.error.map((issue) => `scenario.json: ${formatIssue(issue)}`));
  return undefined;
}

async function readPolicy(path: string, problems: string[]): Promise<Policy | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) {
    problems.push(`policy ${path} cannot be read`);
    return undefined;
  }
  const parsed = parsePolicy(text, relative(process.cwd(), path) || path);
  if (parsed.ok) return parsed.value;
  problems.push(...parsed.error.map(formatPolicyIssue));
  return undefined;
}

async function checkFindings(folder: string, platform: string, problems: string[]): Promise<void> {
  const file = findingsFileName(platform);
  if (!(await exists(join(folder, file)))) {
    problems.push(
      `${file}: missing (one DescribeImageScanFindings response per platform built: ${platform})`,
    );
    return;
  }
  const lateFile = file.replace(/\.json$/, ".late.json");
  if (await exists(join(folder, lateFile))) {
    const clock = { now: () => new Date() };
    const late = new LocalFindingsSource({
      folder,
      account: "000000000000",
      late: { clock, afterMinutes: 0 },
    });
    await late.scanReport({ ...PLACEHOLDER, platform }).catch((error: unknown) => {
      const issues = (error as { issues?: readonly Parameters<typeof formatIssue>[0][] }).issues;
      if (issues) problems.push(...issues.map((issue) => `${lateFile}: ${formatIssue(issue)}`));
      else problems.push(`${lateFile}: ${(error as Error).message}`);
    });
  }
  const source = new LocalFindingsSource({ folder, account: "000000000000" });
  await source.scanReport({ ...PLACEHOLDER, platform }).catch((error: unknown) => {
    const issues = (error as { issues?: readonly Parameters<typeof formatIssue>[0][] }).issues;
    if (issues) problems.push(...issues.map((issue) => `${file}: ${formatIssue(issue)}`));
    else problems.push(`${file}: ${(error as Error).message}`);
  });
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) if (await exists(path)) return path;
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
