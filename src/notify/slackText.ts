/**
 * Slack mrkdwn from untrusted strings (package names, titles, errors, tags): only `&`, `<` and `>` are
 * control characters in Slack text, and escaping them makes links, mentions (`<!channel>`) and user
 * references impossible to inject. https://api.slack.com/reference/surfaces/formatting#escaping
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** Escapes text for mrkdwn. @example escapeSlack("<!channel> & co") // => "&lt;!channel&gt; &amp; co" */
export function escapeSlack(value: string): string {
  return value.replace(CONTROL, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code for identifiers (tags, digests, versions), unable to close early. */
export function slackCode(value: string): string {
  return `\`${escapeSlack(value).replace(/`/g, "'").replace(/\n/g, " ")}\``;
}

/** A link when `url` is http(s) (and has no characters that end a Slack link), else the escaped text. */
export function slackLink(label: string, url: string | null | undefined): string {
  const safe = slackUrl(url);
  return safe === undefined ? escapeSlack(label) : `<${safe}|${escapeSlack(label).replace(/\|/g, "¦")}>`;
}

/** The URL when it is absolute http(s), with `|`, `<`, `>` and spaces percent-encoded. */
export function slackUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
    return parsed.href.replace(
      /[|<>\s]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
    );
  } catch {
    return undefined;
  }
}

/** Cuts text to `max` characters (never inside a surrogate pair), ending with an ellipsis. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}…`;
}
