/**
 * Cuts markdown to at most `max` characters (UTF-16 units, never more than GitHub's count) at a line
 * boundary, ending with a visible note saying how much was left out. Text that fits is returned as is.
 * @example fitText(hugeMarkdown, 65535)
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (omitted: number) =>
    `\n\n> **Truncated:** ${omitted} characters left out to fit GitHub's ${max}-character limit.`;
  const room = max - note(text.length).length;
  if (room <= 0) return note(text.length).trim().slice(0, max);
  let cut = text.lastIndexOf("\n", room);
  if (cut <= 0) cut = room;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  const kept = text.slice(0, cut);
  return `${kept}${note(text.length - kept.length)}`;
}

/** Cuts one line of plain text to `max` characters, ending with an ellipsis. */
export function clipLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  let cut = max - 1;
  if (isHighSurrogate(line.charCodeAt(cut - 1))) cut -= 1;
  return `${line.slice(0, cut)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
