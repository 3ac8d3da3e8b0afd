import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copy,
  createRegistryClient,
  parseReference,
  type Reference,
  type RegistryClient,
} from "../../src/registry/index.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomIndex } from "../support/testImages.ts";

let a: TestRegistry;
let b: TestRegistry;
let source: RegistryClient;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  source = createRegistryClient(a.host);
});
afterAll(async () => {
  source?.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

describe("copies racing each other", () => {
  it("lets several copies of the same index into the same repository all succeed, digest-identical", async () => {
    for (let round = 0; round < 4; round++) {
      const index = await randomIndex({ sharedLayers: [256 * 1024, 64 * 1024], platformLayers: [16 * 1024] });
      await pushTestImage(source, "race/app", index, `r${round}`);
      const targets = Array.from({ length: 3 }, () => createRegistryClient(b.host));
      try {
        const results = await Promise.all(
          targets.map((target) =>
            copy({
              source,
              target,
              from: ref(`${a.host}/race/app:r${round}`),
              to: ref(`${b.host}/race/app:r${round}`),
            }),
          ),
        );
        const root = index.manifests.at(-1);
        expect(results.map((r) => r.digest)).toEqual(results.map(() => root?.digest));
        const raw = await skopeoRaw(`${b.host}/race/app:r${round}`);
        expect(root && raw.equals(root.bytes)).toBe(true);
      } finally {
        for (const target of targets) target.close();
      }
    }
  });
});
