/** Query parameters that carry no secret and help when reading an error. */
const SAFE_PARAMS = new Set(["digest", "mount", "from", "n", "last", "service", "scope"]);

/**
 * Renders a URL for logs and errors: no user:password, and every query value except the spec's own
 * (`digest`, `mount`, `from`, …) replaced, so upload state and presigned signatures never leak.
 * @example redactUrl("https://u:p@r.example/v2/x/blobs/uploads/1?_state=abc&digest=sha256:…")
 * // => "https://r.example/v2/x/blobs/uploads/1?_state=REDACTED&digest=sha256:…"
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(unparseable URL)";
  }
  parsed.username = "";
  parsed.password = "";
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (!SAFE_PARAMS.has(key)) parsed.searchParams.set(key, "REDACTED");
  }
  const text = parsed.toString();
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
