import { describe, expect, it } from "vitest";
import { RegistryError, retryDefaults } from "../../src/registry/index.ts";
import { parseErrorBody } from "../../src/registry/transport/checkResponse.ts";
import { parseChallenge } from "../../src/registry/transport/parseChallenge.ts";
import { redactUrl } from "../../src/registry/transport/redactUrl.ts";
import { parseRetryAfter } from "../../src/registry/transport/retryAfter.ts";
import { backoffDelay, withRetries } from "../../src/registry/transport/withRetries.ts";

describe("RegistryError.isRetryable", () => {
  it.each([
    [{ status: 429 }, true],
    [{ status: 500 }, true],
    [{ status: 502 }, true],
    [{ status: 503 }, true],
    [{ status: 504 }, true],
    [{ status: 408 }, true],
    [{ status: 400, errors: [{ code: "TOOMANYREQUESTS", message: "" }] }, true],
    [{ status: 501 }, false],
    [{ status: 404, errors: [{ code: "MANIFEST_UNKNOWN", message: "" }] }, false],
    [{ status: 401, errors: [{ code: "UNAUTHORIZED", message: "" }] }, false],
    [{ status: 403, errors: [{ code: "DENIED", message: "" }] }, false],
    [{ networkCode: "ECONNRESET" }, true],
    [{ networkCode: "ETIMEDOUT" }, true],
    [{ networkCode: "EPIPE" }, true],
    [{ networkCode: "ENOTFOUND" }, false],
    [{ errors: [{ code: "DIGEST_INVALID", message: "" }] }, false],
  ])("%j → %s", (init, expected) => {
    expect(new RegistryError({ message: "x", ...init }).isRetryable()).toBe(expected);
  });

  it("keeps codes and status when context is added", () => {
    const error = new RegistryError({
      message: "GET …: 404",
      status: 404,
      errors: [{ code: "BLOB_UNKNOWN", message: "" }],
    });
    const wrapped = error.withContext("copying sha256:abc");
    expect(wrapped.message).toBe("copying sha256:abc: GET …: 404");
    expect(wrapped.codes).toEqual(["BLOB_UNKNOWN"]);
    expect(wrapped.status).toBe(404);
    expect(wrapped.cause).toBe(error);
  });
});

describe("redactUrl", () => {
  it("drops user info and opaque query values, keeps the spec's parameters", () => {
    const url =
      "https://user:hunter2@r.example/v2/app/blobs/uploads/1?_state=s3cr3t&digest=sha256:ab&X-Amz-Signature=sig";
    const redacted = redactUrl(url);
    expect(redacted).not.toMatch(/hunter2|user|s3cr3t|sig$/);
    expect(redacted).toContain("digest=sha256:ab");
    expect(redacted).toContain("_state=REDACTED");
  });

  it("never throws on garbage", () => {
    expect(redactUrl("not a url")).toBe("(unparseable URL)");
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["3", 3000],
    ["0", 0],
    [" 10 ", 10_000],
    ["", undefined],
    ["soon", undefined],
    [undefined, undefined],
  ])("%j → %s ms", (header, expected) => {
    expect(parseRetryAfter(header)).toBe(expected);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the ceiling, with full jitter", () => {
    const options = { ...retryDefaults, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, options, () => 0.999)).toBe(99);
    expect(backoffDelay(3, options, () => 0.999)).toBe(799);
    expect(backoffDelay(10, options, () => 0.999)).toBe(999);
    expect(backoffDelay(5, options, () => 0)).toBe(0);
  });

  it("never waits less than Retry-After", () => {
    expect(backoffDelay(0, retryDefaults, () => 0, 2500)).toBe(2500);
  });
});

describe("withRetries", () => {
  const fast = { ...retryDefaults, retries: 3 };
  const noSleep = { sleep: async () => undefined, random: () => 0.5 };

  it("retries a retryable failure and returns the eventual result", async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new RegistryError({ message: "busy", status: 503 });
        return "ok";
      },
      fast,
      noSleep,
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
  });

  it("does not retry a failure that is not retryable", async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new RegistryError({
        message: "nope",
        status: 404,
        errors: [{ code: "MANIFEST_UNKNOWN", message: "" }],
      });
    };
    await expect(withRetries(attempt, fast, noSleep)).rejects.toThrow("nope");
    expect(calls).toBe(1);
  });

  it("gives up after the configured retries with the last error", async () => {
    let calls = 0;
    const attempt = async () => {
      throw new RegistryError({ message: `busy ${++calls}`, status: 503 });
    };
    await expect(withRetries(attempt, fast, noSleep)).rejects.toThrow(
      /busy 4 \(gave up after 4 attempts in \d+\.\d s\)/,
    );
  });

  it("spends one budget per operation: nested retry loops share it instead of multiplying", async () => {
    let calls = 0;
    const request = () =>
      withRetries(
        async () => {
          throw new RegistryError({ message: `reset ${++calls}`, networkCode: "ECONNRESET" });
        },
        fast,
        noSleep,
      );
    const retried: number[] = [];
    const operation = withRetries(() => request().then(() => request()), fast, {
      ...noSleep,
      onRetry: (_error, attempt) => retried.push(attempt),
    });
    await expect(operation).rejects.toThrow(/reset 4 \(gave up after 4 attempts in /);
    expect(calls).toBe(4);
    expect(retried).toEqual([1, 2, 3]);
  });

  it("honours Retry-After and gives up when it is longer than allowed", async () => {
    const waits: number[] = [];
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new RegistryError({
        message: "slow down",
        status: 429,
        retryAfterMs: calls === 1 ? 1500 : 3_600_000,
      });
    };
    await expect(
      withRetries(attempt, fast, { ...noSleep, sleep: async (ms) => waits.push(ms) }),
    ).rejects.toThrow("slow down");
    expect(waits).toEqual([1500]);
  });

  it("wraps a thrown network error so its code decides", async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (++calls === 1) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        return calls;
      },
      fast,
      noSleep,
    );
    expect(result).toBe(2);
  });
});

describe("parseChallenge", () => {
  it.each([
    [
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull"',
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.example/token",
          service: "registry.example",
          scope: "repository:app:pull",
        },
      },
    ],
    ['Basic realm="ECR"', { scheme: "basic", params: { realm: "ECR" } }],
    ["basic", { scheme: "basic", params: {} }],
    [
      'BEARER Realm="https://a/t", Service=x',
      { scheme: "bearer", params: { realm: "https://a/t", service: "x" } },
    ],
    [
      'Bearer realm="https://a/t",scope="repository:a:pull repository:b:pull"',
      { scheme: "bearer", params: { realm: "https://a/t", scope: "repository:a:pull repository:b:pull" } },
    ],
  ])("parses %s", (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it.each([undefined, "", "Negotiate abc", 'Bearer service="no-realm"', 'Digest realm="x"'])(
    "ignores %j",
    (header) => {
      expect(parseChallenge(header)).toBeUndefined();
    },
  );
});

describe("parseErrorBody", () => {
  it("reads the spec's error entries", () => {
    const body = JSON.stringify({
      errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry", detail: {} }],
    });
    expect(parseErrorBody(body)).toEqual([{ code: "BLOB_UNKNOWN", message: "blob unknown to registry" }]);
  });

  it.each(["", "<html>502</html>", "{}", '{"errors":"x"}', '{"errors":[{"message":"no code"}]}'])(
    "yields nothing for %j",
    (body) => {
      expect(parseErrorBody(body)).toEqual([]);
    },
  );
});
