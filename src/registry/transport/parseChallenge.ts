/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  readonly scheme: "basic" | "bearer";
  /** Lower-cased parameter names: `realm`, `service`, `scope`, … */
  readonly params: Readonly<Record<string, string>>;
}

const PARAM = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;

/**
 * Parses the registry's challenge (`Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`),
 * per https://distribution.github.io/distribution/spec/auth/token/ and RFC 9110 §11.6.1.
 * Returns undefined for schemes we cannot answer.
 * @example parseChallenge('Bearer realm="https://auth.example/token",service="registry"')
 */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  if (scheme !== "basic" && scheme !== "bearer") return undefined;
  const params: Record<string, string> = {};
  for (const [, name, quoted, bare] of (match?.[2] ?? "").matchAll(PARAM)) {
    if (name) params[name.toLowerCase()] = quoted?.replace(/\\(.)/g, "$1") ?? bare ?? "";
  }
  if (scheme === "bearer" && !params.realm) return undefined;
  return { scheme, params };
}
