/** A semantic version, https://semver.org/#backusnaur-form-grammar-for-valid-semver-versions */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The part after `-`, e.g. `rc.1`; absent for a release. */
  readonly prerelease?: string;
  /** The part after `+`, e.g. `build.5`; ignored for precedence. */
  readonly build?: string;
}

// The regular expression semver.org publishes, with an optional leading `v` (git tag convention).
const IDENT = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
const SEMVER = new RegExp(
  "^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
    `(?:-(${IDENT}(?:\\.${IDENT})*))?` +
    "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$",
);

/**
 * Parses `1.2.3`, `v1.2.3`, `v1.2.3-rc.1+build.5`; undefined for anything else (including numbers too
 * large to compare exactly).
 * @example parseSemver("v1.2.3-rc.1") // => { major: 1, minor: 2, patch: 3, prerelease: "rc.1" }
 */
export function parseSemver(text: string): Semver | undefined {
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease, build] = match;
  const numbers = [major, minor, patch].map(Number);
  if (!numbers.every(Number.isSafeInteger)) return undefined;
  const [maj = 0, min = 0, pat = 0] = numbers;
  return {
    major: maj,
    minor: min,
    patch: pat,
    ...(prerelease === undefined ? {} : { prerelease }),
    ...(build === undefined ? {} : { build }),
  };
}

/** Compares the release parts (major, minor, patch) of two versions: negative, zero or positive. */
export function compareRelease(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
