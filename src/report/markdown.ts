/**
 * Markdown helpers for GitHub-flavoured markdown built from untrusted strings (package names, titles, ids
 * and URLs come from scanners and image labels). Everything that reaches a check run goes through these.
 * https://github.github.com/gfm/#backslash-escapes
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/**
 * What can start formatting, a link, an image, a table cell, a heading, math or a mention inline. `&<>` are
 * turned into entities instead (GitHub renders HTML). Characters that only matter at the start of a line
 * (`-`, `+`, `1.`) are safe: untrusted text is always placed after a list marker or a cell separator.
 */
const PUNCTUATION = /[\\`*_[\]()#!|~@$]/g;

/**
 * Escapes a string for inline markdown (a table cell or a sentence): no formatting, links, mentions, HTML or
 * line breaks can come out of it.
 * @example escapeMarkdown("lib*ssl*|x <b>") // => "lib\\*ssl\\*\\|x &lt;b&gt;"
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(CONTROL, " ")
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * A markdown link when `url` is http(s), else the escaped text alone. Characters that would end the link
 * destination are percent-encoded.
 * @example markdownLink("CVE-2024-1", "https://nvd.nist.gov/vuln/detail/CVE-2024-1")
 */
export function markdownLink(text: string, url: string | null | undefined): string {
  const label = escapeMarkdown(text);
  const safe = safeUrl(url);
  return safe === undefined ? label : `[${label}](${safe})`;
}

/** The URL, percent-encoded for a markdown link destination, when it is an absolute http(s) URL. */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  return parsed.href.replace(
    /[()<>\s"'`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/**
 * A code span for values that are identifiers (digests, tags, regions): backticks inside are replaced, so
 * the span cannot be closed early.
 * @example code("sha256:abc") // => "`sha256:abc`"
 */
export function code(value: string): string {
  return `\`${value.replace(CONTROL, " ").replace(/`/g, "'")}\``;
}

/** One markdown table: a header row, the separator and a row per entry (cells already escaped). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)];
}
