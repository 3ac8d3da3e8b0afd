import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import example from "../../portcullis.config.ts";
import type { RepositoryConfig } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

function repositories(): RepositoryConfig[] {
  const parsed = parseConfig(example);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value.repositories;
}

/** The image reference of every FROM line (`FROM [--platform=…] IMAGE [AS name]`), in order. */
async function bases(context: string, dockerfile: string): Promise<string[]> {
  const text = await readFile(join(ROOT, context, dockerfile), "utf8");
  return text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line)?.[1])
    .filter((image): image is string => image !== undefined);
}

// ECR Public: no anonymous pull limit that CodeBuild's shared egress addresses would run into (Docker Hub's).
const BASE = /^public\.ecr\.aws\/[a-z0-9._/-]+(:[\w.-]+)?@sha256:[0-9a-f]{64}$/;

describe("the example portcullis.config.ts deploys", () => {
  it.each(repositories().map((r) => [r.name, r] as const))(
    "%s: AWS builds from an OS base ECR can scan, from ECR Public, pinned by digest",
    async (_, repository) => {
      const images = await bases(repository.context, repository.dockerfile);
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(image.toLowerCase()).not.toBe("scratch");
        expect(image).not.toContain("$"); // a build argument could swap the base for scratch
        expect(image).toMatch(BASE);
      }
    },
  );

  it.each(repositories().map((r) => [r.name, r] as const))(
    "%s: the local pipeline builds an offline variant that pulls nothing",
    async (_, repository) => {
      expect(repository.localDockerfile).toBeDefined();
      expect(repository.localDockerfile).not.toBe(repository.dockerfile);
      expect(await bases(repository.context, repository.localDockerfile ?? "")).toEqual(["scratch"]);
    },
  );

  it("refuses a localDockerfile outside the build context, naming the field", () => {
    const [first] = example.repositories;
    const parsed = parseConfig({
      ...example,
      repositories: [{ ...first, localDockerfile: "/etc/Dockerfile" }],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(formatIssues(parsed.error)).toMatch(/repositories\[0\]\.localDockerfile: "\/etc\/Dockerfile"/);
  });
});
