import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositorySettings } from "../../src/config/repositorySettings.ts";
import { FUNCTION_SETTINGS } from "../../src/lambda/functionSettings.ts";
import { SETTINGS, type SettingName } from "../../src/lambda/settingSchemas.ts";
import { parsePolicy } from "../../src/policy/parsePolicy.ts";
import { grantsOf } from "./pipelineGrants.ts";
import { exampleConfig, type PipelineSynth, synthPipeline } from "./pipelineSynth.ts";
import { functionId, resourcesOf } from "./pipelineTemplate.ts";
import type { CfnProps } from "./synthPortcullis.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const FUNCTIONS = ["register", "gate", "reconcile", "replicate", "report", "notify"] as const;
type Name = (typeof FUNCTIONS)[number];

let synth: PipelineSynth;
beforeAll(async () => {
  synth = await synthPipeline(exampleConfig());
});
afterAll(() => synth?.remove());

const props = (name: Name): CfnProps =>
  synth.pipeline.Resources[functionId(synth.pipeline, name)]?.Properties as CfnProps;
const portcullisEnv = (name: Name): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(props(name).Environment.Variables as Record<string, unknown>).filter(([k]) =>
      k.startsWith("PORTCULLIS_"),
    ),
  );

/** The settings an entry point loads: the FUNCTION_SETTINGS list it names (to loadSettings, or awsHandlerDeps by function). */
async function settingsLoadedBy(name: Name): Promise<SettingName[]> {
  const source = await readFile(join(ROOT, `functions/${name}.ts`), "utf8");
  const key = (/awsHandlerDeps\("(\w+)"\)/.exec(source) ??
    /loadSettings\(FUNCTION_SETTINGS\.(\w+)\)/.exec(source))?.[1];
  if (key === undefined || !(key in FUNCTION_SETTINGS))
    throw new Error(`functions/${name}.ts loads no settings`);
  return [...FUNCTION_SETTINGS[key as keyof typeof FUNCTION_SETTINGS]];
}

/** Values for the variables that are CloudFormation references, as they resolve at deploy time. */
const DEPLOYED: Record<string, string> = {
  PORTCULLIS_ACCOUNT: "123456789012",
  PORTCULLIS_TABLE_NAME: "test-portcullis-State-ReleaseStateC566F17D-1A2B3C4D5E6F",
  PORTCULLIS_EVENT_BUS: "portcullis-test",
  PORTCULLIS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:test-portcullis-State-Notifications87298708-X1",
  PORTCULLIS_ATTESTATION_KEY_ARN:
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

/** Runs a bundle's module init in a fresh node, as Lambda does: its exit code and stderr. */
async function initBundle(name: Name, env: Record<string, string>) {
  const bundle = synth.bundleOf(functionId(synth.pipeline, name));
  const entry = pathToFileURL(join(bundle, `functions/${name}.mjs`)).href;
  const code =
    "const m = await import(process.argv[1]); if (typeof m.handler !== 'function') process.exit(3);";
  return promisify(execFile)(process.execPath, ["--input-type=module", "-e", code, entry], {
    env: {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      LAMBDA_TASK_ROOT: bundle,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    timeout: 60_000,
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

function deployedEnv(name: Name): Record<string, string> {
  const variables = props(name).Environment.Variables as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === "string" ? value : (DEPLOYED[key] ?? ""),
    ]),
  );
}

describe("the Pipeline's functions", () => {
  it("run on nodejs22.x, arm64, with active tracing, their own log group kept 30 days, and their sizing, reserving no concurrency by default", () => {
    const sizing: Record<Name, [number, number]> = {
      register: [512, 60],
      gate: [512, 120],
      reconcile: [512, 300],
      replicate: [1024, 900],
      report: [512, 60],
      notify: [256, 60],
    };
    const logGroups = Object.fromEntries(resourcesOf(synth.pipeline, "AWS::Logs::LogGroup"));
    for (const name of FUNCTIONS) {
      const fn = props(name);
      expect(fn, name).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
        MemorySize: sizing[name][0],
        Timeout: sizing[name][1],
      });
      // Reserved concurrency sums against the account limit; a limit of 10 (new accounts) admits none.
      expect(fn, name).not.toHaveProperty("ReservedConcurrentExecutions");
      expect(logGroups[fn.LoggingConfig.LogGroup.Ref], name).toMatchObject({ RetentionInDays: 30 });
    }
  });

  it("are bundled with src/lambda's esbuild options: minified split ESM, the policy as validated JSON beside the code", async () => {
    const policy = parsePolicy(
      await readFile(join(ROOT, "examples/policies/portcullis.policy.yaml"), "utf8"),
    );
    for (const name of FUNCTIONS) {
      const bundle = synth.bundleOf(functionId(synth.pipeline, name));
      const entry = await readFile(join(bundle, `functions/${name}.mjs`), "utf8");
      expect(entry.startsWith("import{createRequire as __cr}from'node:module';"), name).toBe(true);
      // Minified: a handful of very long lines (esbuild keeps a newline where a template literal has one).
      expect(entry.length / entry.split("\n").length, name).toBeGreaterThan(1000);
      const chunks = (await readdir(join(bundle, "functions"))).filter((f) => f.endsWith(".mjs"));
      expect(chunks.length, name).toBeGreaterThan(1);
      const files = await readdir(bundle);
      if (["register", "gate", "reconcile"].includes(name)) {
        expect(JSON.parse(await readFile(join(bundle, "policy.json"), "utf8")), name).toEqual(
          policy.ok ? JSON.parse(JSON.stringify(policy.value)) : "invalid example policy",
        );
      } else expect(files, name).not.toContain("policy.json");
    }
  });

  it("get exactly the PORTCULLIS_* variables their entry points load, from the configuration and State's resources", async () => {
    const c = synth.config;
    const handler = {
      PORTCULLIS_ACCOUNT: { Ref: "AWS::AccountId" },
      PORTCULLIS_PRIMARY_REGION: "us-east-1",
      PORTCULLIS_REPLICA_REGIONS: "eu-west-1,ap-southeast-2",
      PORTCULLIS_REPOSITORIES: "portcullis/example-app",
      PORTCULLIS_TABLE_NAME: {
        "Fn::ImportValue": expect.stringMatching(/^test-portcullis-State:ExportsOutputRefReleaseState/),
      },
      PORTCULLIS_EVENT_BUS: {
        "Fn::ImportValue": expect.stringMatching(/^test-portcullis-State:ExportsOutputRefEvents/),
      },
      PORTCULLIS_TOPIC_ARN: {
        "Fn::ImportValue": expect.stringMatching(/^test-portcullis-State:ExportsOutputRefNotifications/),
      },
      PORTCULLIS_POLICY_FILE: "policy.json",
      PORTCULLIS_TAG_RULES: JSON.stringify(c.tags),
      PORTCULLIS_RELEASE_BRANCHES: "main",
      PORTCULLIS_RELEASE_TAG_PATTERNS: "v*",
      PORTCULLIS_SCANNING: "basic",
    };
    const settings = repositorySettings(c);
    const { PORTCULLIS_ACCOUNT, PORTCULLIS_PRIMARY_REGION, PORTCULLIS_REPOSITORIES, PORTCULLIS_TABLE_NAME } =
      handler;
    const decider = {
      ...handler,
      PORTCULLIS_ATTESTATION_KEY_ARN: {
        "Fn::ImportValue": expect.stringMatching(
          /^test-portcullis-State:ExportsOutputFnGetAttAttestationKey/,
        ),
      },
    };
    const expected: Record<Name, Record<string, unknown>> = {
      register: decider,
      gate: decider,
      reconcile: decider,
      replicate: {
        PORTCULLIS_ACCOUNT,
        PORTCULLIS_PRIMARY_REGION,
        PORTCULLIS_REPOSITORIES,
        PORTCULLIS_TABLE_NAME,
        PORTCULLIS_EVENT_BUS: handler.PORTCULLIS_EVENT_BUS,
        PORTCULLIS_TOPIC_ARN: handler.PORTCULLIS_TOPIC_ARN,
        PORTCULLIS_REPOSITORY_SETTINGS: JSON.stringify(settings.ok && settings.value),
        PORTCULLIS_KMS_KEY: "alias/portcullis/test/registry",
      },
      report: {
        PORTCULLIS_ACCOUNT,
        PORTCULLIS_PRIMARY_REGION,
        PORTCULLIS_REPOSITORIES,
        PORTCULLIS_TABLE_NAME,
        PORTCULLIS_ATTESTATION_KEY_ARN: decider.PORTCULLIS_ATTESTATION_KEY_ARN,
        PORTCULLIS_GITHUB_APP_SECRET: "portcullis/github-app",
      },
      notify: {
        PORTCULLIS_REPOSITORIES,
        PORTCULLIS_TABLE_NAME,
        PORTCULLIS_TOPIC_ARN: handler.PORTCULLIS_TOPIC_ARN,
        PORTCULLIS_SLACK_WEBHOOK_SECRET: "portcullis/slack-webhook",
      },
    };
    for (const name of FUNCTIONS) {
      expect(portcullisEnv(name), name).toEqual(expected[name]);
      // Every variable is one the entry point reads, and every setting it requires is there.
      const loaded = await settingsLoadedBy(name);
      const readable = loaded.map((setting) => SETTINGS[setting].env);
      for (const variable of Object.keys(expected[name]))
        expect(readable, `${name} ${variable}`).toContain(variable);
      for (const setting of loaded)
        if (!("optional" in SETTINGS[setting]))
          expect(Object.keys(expected[name]), name).toContain(SETTINGS[setting].env);
    }
    expect(props("gate").Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe("portcullis");
  });

  it("start, each from its bundle, with the environment the stack gives it (settings valid, policy found)", async () => {
    const results = await Promise.all(
      FUNCTIONS.map(async (name) => [name, await initBundle(name, deployedEnv(name))]),
    );
    for (const [name, result] of results) expect(result, String(name)).toMatchObject({ code: 0 });
  });

  it("fail to start, naming the variable, when the environment lacks a setting or the policy is not bundled", async () => {
    const { PORTCULLIS_TABLE_NAME: _table, ...withoutTable } = deployedEnv("gate");
    const missing = await initBundle("gate", withoutTable);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("PORTCULLIS_TABLE_NAME");
    const elsewhere = await initBundle("gate", { ...deployedEnv("gate"), LAMBDA_TASK_ROOT: ROOT });
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain("PORTCULLIS_POLICY_FILE");
  });
});

describe("the Pipeline's grants", () => {
  it("allow no * action, and * resources only for actions without resource-level permissions", () => {
    const unscopable = [
      ["ecr:GetAuthorizationToken"],
      ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      ["inspector2:ListFindings", "inspector2:ListCoverage"],
    ];
    for (const name of FUNCTIONS)
      for (const grant of grantsOf(synth.pipeline, functionId(synth.pipeline, name))) {
        for (const action of grant.actions) expect(action, name).not.toMatch(/^\*$|:\*$/);
        if (grant.resource === "*") expect(unscopable, name).toContainEqual(grant.actions);
      }
  });

  it("let every function that reads ECR's findings read Inspector's too, though `scanning` is basic", () => {
    // The account's registry may scan with Inspector whatever this configuration says (the setting is
    // account-wide), and then DescribeImageScanFindings needs these reads.
    expect(synth.config.scanning).toBe("basic");
    for (const name of FUNCTIONS) {
      const grants = grantsOf(synth.pipeline, functionId(synth.pipeline, name));
      const readsFindings = grants.some((grant) => grant.actions.includes("ecr:DescribeImageScanFindings"));
      const inspector = grants.filter((grant) => grant.actions.includes("inspector2:ListFindings"));
      expect(
        inspector.map((grant) => [grant.actions, grant.resource]),
        name,
      ).toEqual(readsFindings ? [[["inspector2:ListFindings", "inspector2:ListCoverage"], "*"]] : []);
    }
  });

  it("let each function reach only its own log group, queue and key, the state table and the configured repositories", () => {
    const repository = (region: string) =>
      `arn:<partition>:ecr:${region}:<account>:repository/portcullis/example-app`;
    const common = (fn: string) => [
      `<${fn}Logs>`,
      `<${fn}DeadLetters>`,
      "<DeadLetterKey>",
      "<state-key>",
      "<table>",
      "<table>/index/*",
      "*",
    ];
    const publisher = ["<bus>", "<topic>"];
    const expected: Record<Name, string[]> = {
      register: [...common("Register"), ...publisher, repository("us-east-1"), "<attestation-key>"],
      gate: [...common("Gate"), ...publisher, repository("us-east-1"), "<attestation-key>"],
      reconcile: [...common("Reconcile"), ...publisher, repository("us-east-1"), "<attestation-key>"],
      replicate: [
        ...common("Replicate"),
        ...publisher,
        repository("us-east-1"),
        repository("eu-west-1"),
        repository("ap-southeast-2"),
        "arn:<partition>:kms:eu-west-1:<account>:key/*",
        "arn:<partition>:kms:ap-southeast-2:<account>:key/*",
      ],
      report: [
        ...common("Report"),
        "arn:<partition>:secretsmanager:us-east-1:<account>:secret:portcullis/github-app-??????",
      ],
      notify: [
        ...common("Notify"),
        "arn:<partition>:secretsmanager:us-east-1:<account>:secret:portcullis/slack-webhook-??????",
      ],
    };
    for (const name of FUNCTIONS) {
      const resources = new Set(
        grantsOf(synth.pipeline, functionId(synth.pipeline, name)).map((g) => g.resource),
      );
      expect([...resources].sort(), name).toEqual([...expected[name]].sort());
    }
  });

  it("grant exactly the ECR actions each function's adapters call, and the registry login", () => {
    const ecr = (name: Name) =>
      Object.fromEntries(
        grantsOf(synth.pipeline, functionId(synth.pipeline, name))
          .filter((g) => g.actions.some((a) => a.startsWith("ecr:")))
          .map((g) => [
            g.resource.replace(/^arn:<partition>:ecr:([a-z0-9-]+):<account>:repository\/.*$/, "$1"),
            [...g.actions].sort(),
          ]),
      );
    const login = ["ecr:GetAuthorizationToken"];
    const tag = ["ecr:BatchGetImage", "ecr:DescribeImageScanFindings", "ecr:ListImages", "ecr:PutImage"];
    // The deciders also attach the signed verification summary: blob uploads beside the tag moves.
    const attest = [
      ...tag,
      "ecr:BatchCheckLayerAvailability",
      "ecr:CompleteLayerUpload",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
    ].sort();
    const replica = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:CreateRepository",
      "ecr:GetLifecyclePolicy",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:PutLifecyclePolicy",
      "ecr:TagResource",
      "ecr:UploadLayerPart",
    ];
    expect(ecr("register")).toEqual({
      "*": login,
      "us-east-1": [...attest, "ecr:GetDownloadUrlForLayer"].sort(),
    });
    // …and read the index's build provenance when the policy requires it.
    const decides = [...attest, "ecr:GetDownloadUrlForLayer"].sort();
    expect(ecr("gate")).toEqual({ "*": login, "us-east-1": decides });
    expect(ecr("reconcile")).toEqual({ "*": login, "us-east-1": decides });
    expect(ecr("replicate")).toEqual({
      "*": login,
      "us-east-1": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      "eu-west-1": replica,
      "ap-southeast-2": replica,
    });
    expect(ecr("report")).toEqual({});
    expect(ecr("notify")).toEqual({});
  });

  it("let replicate use a replica's registry key only by its alias, only through that region's ECR", () => {
    const keys = grantsOf(synth.pipeline, functionId(synth.pipeline, "replicate")).filter((g) =>
      g.resource.includes(":kms:"),
    );
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      const scope = {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/portcullis/test/registry" },
        StringEquals: { "kms:ViaService": `ecr.${region}.amazonaws.com` },
      };
      expect(
        keys.filter((g) => g.resource.includes(`:kms:${region}:`)).map((g) => [g.actions, g.condition]),
      ).toEqual([
        [["kms:DescribeKey"], scope],
        [["kms:CreateGrant"], { ...scope, Bool: { "kms:GrantIsForAWSResource": "true" } }],
      ]);
    }
  });

  it("let only the publishers put events on the bus and publish to the topic", () => {
    for (const name of FUNCTIONS) {
      const grants = grantsOf(synth.pipeline, functionId(synth.pipeline, name));
      const on = (resource: string) =>
        grants.filter((g) => g.resource === resource).flatMap((g) => g.actions);
      const publishes = !["report", "notify"].includes(name);
      expect(on("<bus>"), name).toEqual(publishes ? ["events:PutEvents"] : []);
      expect(on("<topic>"), name).toEqual(publishes ? ["sns:Publish"] : []);
    }
  });
});
