import { describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import { formatReference, manifestReference, parseReference } from "../../src/registry/index.ts";
import { isLoopbackHost } from "../../src/registry/name/referenceHost.ts";

const D: Digest = `sha256:${"a".repeat(64)}`;

describe("parseReference", () => {
  it.each([
    ["127.0.0.1:5000/team/app:1.2", { registry: "127.0.0.1:5000", repository: "team/app", tag: "1.2" }],
    [`127.0.0.1:5000/app@${D}`, { registry: "127.0.0.1:5000", repository: "app", digest: D }],
    [`localhost/app:v1@${D}`, { registry: "localhost", repository: "app", tag: "v1", digest: D }],
    ["localhost:5000/a/b/c", { registry: "localhost:5000", repository: "a/b/c" }],
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:sha-abc",
      { registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "app", tag: "sha-abc" },
    ],
    ["[::1]:5000/app:latest", { registry: "[::1]:5000", repository: "app", tag: "latest" }],
    ["nginx", { registry: "docker.io", repository: "library/nginx" }],
    ["nginx:1.25", { registry: "docker.io", repository: "library/nginx", tag: "1.25" }],
    ["team/app:x", { registry: "docker.io", repository: "team/app", tag: "x" }],
    [
      "registry.example/x__y/a-b.c:T_1",
      { registry: "registry.example", repository: "x__y/a-b.c", tag: "T_1" },
    ],
  ])("parses %s", (text, expected) => {
    const parsed = parseReference(text);
    expect(parsed).toEqual({ ok: true, value: expected });
    if (parsed.ok && parsed.value.registry !== "docker.io") expect(formatReference(parsed.value)).toBe(text);
  });

  it.each([
    ["", "reference", "must not be empty"],
    ["127.0.0.1:5000/Team/app", "reference.repository", "lowercase"],
    ["127.0.0.1:5000/app:", "reference.tag", "must not be empty"],
    ["127.0.0.1:5000/app:-bad", "reference.tag", "must match"],
    [`127.0.0.1:5000/app:${"t".repeat(129)}`, "reference.tag", "at most 128"],
    ["127.0.0.1:5000/app@sha256:abc", "reference.digest", "64 hex characters"],
    [`127.0.0.1:5000/app@sha512:${"a".repeat(128)}`, "reference.digest", "sha256:"],
    [`127.0.0.1:5000/app@sha256:${"A".repeat(64)}`, "reference.digest", "lowercase"],
    ["127.0.0.1:99999/app", "reference.registry", "port between 1 and 65535"],
    ["127.0.0.1:0/app", "reference.registry", "port between 1 and 65535"],
    ["bad_host.example/app", "reference.registry", "host name"],
    ["127.0.0.1:5000/", "reference.repository", "must not be empty"],
    ["127.0.0.1:5000/app//x", "reference.repository", "lowercase path components"],
    ["https://127.0.0.1:5000/app", "reference", "scheme"],
    ["127.0.0.1:5000/app tag", "reference", "spaces"],
    ["127.0.0.1:5000/app:v1:v2", "reference.repository", "lowercase path components"],
  ])("refuses %j, naming %s", (text, field, message) => {
    const parsed = parseReference(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error[0]?.field).toBe(field);
    expect(parsed.error[0]?.message).toContain(message);
    expect(parsed.error[0]?.value).toBeDefined();
  });

  it("refuses credentials in the registry part without echoing them", () => {
    const parsed = parseReference("ci:hunter2@127.0.0.1:5000/app:v1");
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain("hunter2");
    expect(JSON.stringify(parsed)).toContain("must not contain credentials");
  });

  it("refuses a value that is not a string", () => {
    expect(parseReference(42, "image")).toEqual({
      ok: false,
      error: [{ field: "image", value: 42, message: "must be a string" }],
    });
  });
});

describe("manifestReference", () => {
  it("prefers the digest, then the tag, then latest", () => {
    expect(manifestReference({ registry: "r", repository: "a", tag: "t", digest: D })).toBe(D);
    expect(manifestReference({ registry: "r", repository: "a", tag: "t" })).toBe("t");
    expect(manifestReference({ registry: "r", repository: "a" })).toBe("latest");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost:5000", true],
    ["127.0.0.1:5000", true],
    ["127.8.9.10", true],
    ["[::1]:5000", true],
    ["128.0.0.1", false],
    ["localhost.example", false],
    ["10.0.0.1:5000", false],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
