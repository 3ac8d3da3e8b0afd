import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import {
  createRegistryClient,
  parseReference,
  promote,
  type Reference,
  type RegistryClient,
  RegistryError,
} from "../../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomIndex } from "../support/testImages.ts";

let registry: TestRegistry;
let proxy: FaultProxy;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.host);
  client = createRegistryClient(proxy.host);
});
afterAll(async () => {
  client?.close();
  await proxy?.stop();
  await registry?.stop();
});

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

const manifestPuts = () => proxy.seen.filter((r) => r.method === "PUT" && r.path.includes("/manifests/"));

describe("promote", () => {
  it("points every tag at the index digest with the exact bytes, as skopeo reads them", async () => {
    const index = await randomIndex();
    await pushTestImage(client, "promo/app", index, `sha-${"a".repeat(7)}`);
    const result = await promote({
      client,
      image: ref(`${proxy.host}/promo/app@${index.root.digest}`),
      tags: ["main", "latest", "1.2.3", "1.2"],
    });
    expect(result.tags).toEqual(["main", "latest", "1.2.3", "1.2"].map((tag) => ({ kind: "moved", tag })));
    for (const tag of ["main", "latest", "1.2.3", "1.2"]) {
      expect((await skopeoRaw(`${registry.host}/promo/app:${tag}`)).equals(index.root.bytes)).toBe(true);
    }
  });

  it("is idempotent: a tag already on the digest is not written again", async () => {
    const index = await randomIndex();
    await pushTestImage(client, "promo/idem", index);
    const image = ref(`${proxy.host}/promo/idem@${index.root.digest}`);
    await promote({ client, image, tags: ["main"] });
    proxy.clear();
    const again = await promote({ client, image, tags: ["main", "main"] });
    expect(again.tags).toEqual([{ kind: "unchanged", tag: "main" }]);
    expect(manifestPuts()).toHaveLength(0);
  });

  it("moves a tag from an older digest and reports where it was", async () => {
    const [older, newer] = [await randomIndex(), await randomIndex()];
    await pushTestImage(client, "promo/move", older, "main");
    await pushTestImage(client, "promo/move", newer);
    const result = await promote({
      client,
      image: ref(`${proxy.host}/promo/move@${newer.root.digest}`),
      tags: ["main"],
    });
    expect(result.tags).toEqual([{ kind: "moved", tag: "main", previous: older.root.digest }]);
    expect((await skopeoRaw(`${registry.host}/promo/move:main`)).equals(newer.root.bytes)).toBe(true);
  });

  it("refuses a digest the registry does not have, writing nothing", async () => {
    const index = await randomIndex();
    await pushTestImage(client, "promo/unknown", index, "keep");
    proxy.clear();
    const unknown = `sha256:${"3".repeat(64)}`;
    const error = await promote({
      client,
      image: ref(`${proxy.host}/promo/unknown@${unknown}`),
      tags: ["main"],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).codes).toContain("MANIFEST_UNKNOWN");
    expect((error as RegistryError).message).toContain(`promoting ${proxy.host}/promo/unknown@${unknown}`);
    expect(manifestPuts()).toHaveLength(0);
    expect(await client.listTags("promo/unknown")).toEqual(["keep"]);
  });

  it.each([
    [{ tags: [] }, "tags"],
    [{ tags: ["ok", "-bad"] }, "tags[1]"],
    [{ tags: ["has space"] }, "tags[0]"],
    [{ image: "untagged" }, "image"],
  ])("refuses bad input %j before writing anything, naming %s", async (input, field) => {
    const index = await randomIndex();
    await pushTestImage(client, "promo/bad", index);
    proxy.clear();
    const image =
      "image" in input
        ? ref(`${proxy.host}/promo/bad:v1`)
        : ref(`${proxy.host}/promo/bad@${index.root.digest}`);
    const error = await promote({ client, image, tags: "tags" in input ? input.tags : ["main"] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toContain(field);
    expect(proxy.seen).toHaveLength(0);
  });

  it("refuses an image on another registry than the client's", async () => {
    const error = await promote({
      client,
      image: ref(`other.example/app@sha256:${"4".repeat(64)}`),
      tags: ["main"],
    }).catch((e: unknown) => e);
    expect((error as ValidationError).issues[0]?.field).toBe("image.registry");
  });
});
