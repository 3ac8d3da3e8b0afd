import { parseRef } from "./parseRef.ts";

/** Which refs may be promoted: glob lists for branch and tag names. An absent list allows every name. */
export interface RefFilter {
  /** Branch name globs, e.g. `["main", "release/*"]`. `*` stops at `/`, `**` does not. */
  readonly branches?: readonly string[];
  /** Tag name globs, e.g. `["v*"]`. */
  readonly tagPatterns?: readonly string[];
}

/** Whether a ref passed the filter, and why not. */
export type RefDecision = { readonly kind: "allowed" } | { readonly kind: "denied"; readonly reason: string };

/**
 * Checks a full git ref against branch and tag globs. Refs that are not branches or tags are denied.
 * @example refAllowed("refs/heads/release/1.x", { branches: ["main", "release/*"] }) // => { kind: "allowed" }
 */
export function refAllowed(ref: string, filter: RefFilter): RefDecision {
  const parsed = parseRef(ref);
  if (!parsed.ok) return { kind: "denied", reason: parsed.error.map((issue) => issue.message).join("; ") };
  const { kind, name } = parsed.value;
  const patterns = kind === "branch" ? filter.branches : filter.tagPatterns;
  if (patterns === undefined || patterns.some((pattern) => globToRegExp(pattern).test(name))) {
    return { kind: "allowed" };
  }
  const list = kind === "branch" ? "branches" : "tagPatterns";
  return { kind: "denied", reason: `${kind} "${name}" matches none of ${list} ${JSON.stringify(patterns)}` };
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob.charAt(i);
    if (ch === "*" && glob.charAt(i + 1) === "*") {
      source += ".*";
      i++;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
