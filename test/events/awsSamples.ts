import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Digest } from "../../src/core/index.ts";

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

/** AWS's published samples, copied verbatim into the repository (test/fixtures/aws-events/README.md). */
export const AWS_EVENTS_DIR = join(REPO_ROOT, "test/fixtures/aws-events");
export const FIXTURES_DIR = join(REPO_ROOT, "test/fixtures/events");

/** AWS's placeholder digests: `sha256:` and 60–61 characters, some ending in EXAMPLE. */
const PLACEHOLDER = /sha256:[0-9A-Za-z]{20,}/g;

/** Every AWS event sample (the `*.shape.json` API shapes are not events). */
export function awsSampleFiles(): string[] {
  return readdirSync(AWS_EVENTS_DIR)
    .filter((file) => file.endsWith(".json") && !file.endsWith(".shape.json"))
    .sort();
}

/** A sample exactly as AWS publishes it, placeholders included. */
export function rawSample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(AWS_EVENTS_DIR, file), "utf8"));
}

/** A sample with each placeholder digest replaced by a valid one ({@link validDigestFor}), everywhere it occurs. */
export function validSample(file: string): Record<string, unknown> {
  const text = readFileSync(join(AWS_EVENTS_DIR, file), "utf8");
  return JSON.parse(text.replace(PLACEHOLDER, (placeholder) => validDigestFor(placeholder)));
}

/** The valid digest that stands in for a placeholder: sha256 of the placeholder text, so it is stable. */
export function validDigestFor(placeholder: string): Digest {
  return `sha256:${createHash("sha256").update(placeholder).digest("hex")}`;
}

/** A fixture from test/fixtures/events (`valid/…` or `invalid/…`). */
export function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, path), "utf8"));
}

/** Fixture file names under `valid/` or `invalid/`. */
export function fixtureFiles(folder: "valid" | "invalid"): string[] {
  return readdirSync(join(FIXTURES_DIR, folder)).sort();
}
