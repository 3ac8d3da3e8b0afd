import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { batchBuildspec } from "../../src/build/batchBuildspec.ts";
import { buildEnvironment } from "../../src/build/buildEnvironment.ts";
import { buildProjectName } from "../../src/build/buildProjectName.ts";

const template = parse(await readFile(new URL("../../buildspec/buildspec.yml", import.meta.url), "utf8"));
type Graph = { identifier: string; "depend-on"?: string[] }[];
const graphOf = (spec: Record<string, unknown>) => (spec.batch as { "build-graph": Graph })["build-graph"];

describe("batchBuildspec", () => {
  it("keeps both platform jobs and the index for a multi-arch repository", () => {
    const spec = batchBuildspec(template, ["linux/amd64", "linux/arm64"]);
    if (!spec.ok) throw new Error(JSON.stringify(spec.error));
    expect(graphOf(spec.value).map((job) => job.identifier)).toEqual(["amd64", "arm64", "index"]);
    expect(spec.value.phases).toEqual(template.phases);
  });

  it("drops the jobs of platforms a repository does not build, and the index's dependency on them", () => {
    const spec = batchBuildspec(template, ["linux/arm64"]);
    const graph = spec.ok ? graphOf(spec.value) : [];
    expect(graph.map((job) => job.identifier)).toEqual(["arm64", "index"]);
    expect(graph.find((job) => job.identifier === "index")?.["depend-on"]).toEqual(["arm64"]);
  });

  it("refuses a template missing a job, naming it", () => {
    const spec = batchBuildspec({ batch: { "build-graph": [{ identifier: "amd64" }] } }, [
      "linux/amd64",
      "linux/arm64",
    ]);
    expect(!spec.ok && spec.error[0]).toMatchObject({
      field: "batch.build-graph",
      value: ["arm64", "index"],
    });
  });
});

describe("buildProjectName", () => {
  it.each([
    ["shop/web", "portcullis-prod-shop-web"],
    ["a.b__c", "portcullis-prod-a-b__c"],
  ])("names the project of %s %s", (repository, name) => {
    expect(buildProjectName("portcullis", "prod", repository)).toBe(name);
  });

  it("stays within CodeBuild's 255 characters", () => {
    expect(buildProjectName("portcullis", "prod", "a".repeat(256))).toHaveLength(255);
  });
});

describe("buildEnvironment", () => {
  const commit = "0123456789abcdef0123456789abcdef01234567";

  it("leaves out what is unknown", () => {
    expect(buildEnvironment({ commit, ref: "refs/heads/main" })).toEqual({
      ok: true,
      value: [
        { name: "PORTCULLIS_COMMIT", value: commit, type: "PLAINTEXT" },
        { name: "PORTCULLIS_REF", value: "refs/heads/main", type: "PLAINTEXT" },
      ],
    });
  });

  it.each([
    [{ commit: commit.toUpperCase(), ref: "refs/heads/main" }, "source-version"],
    [{ commit, ref: "refs/pull/1/head" }, "ref"],
    [{ commit, ref: "refs/heads/main", sourceUrl: "file:///etc/passwd" }, "source-url"],
    [{ commit, ref: "refs/heads/main", runUrl: "https://x/\u0007" }, "run-url"],
  ])("refuses %j naming %s", (facts, field) => {
    const env = buildEnvironment(facts);
    expect(!env.ok && env.error.map((issue) => issue.field)).toEqual([field]);
  });
});
