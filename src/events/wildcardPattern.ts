import { PatternError } from "./errors.ts";

/**
 * Compiles an EventBridge `wildcard` value to an anchored RegExp: `*` matches any run of characters,
 * `\*` a literal asterisk and `\\` a backslash; consecutive `*` and other escapes are refused, as
 * EventBridge refuses them.
 * @example wildcardPattern("arn:aws:ecr:*:repository/app").test("arn:aws:ecr:us-east-1:1:repository/app") // true
 */
export function wildcardPattern(wildcard: string, field = ""): RegExp {
  let source = "";
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard.charAt(i);
    if (char === "\\") {
      const next = wildcard.charAt(++i);
      if (next !== "*" && next !== "\\")
        throw new PatternError(
          field,
          `wildcard ${JSON.stringify(wildcard)}: only \\* and \\\\ may be escaped`,
        );
      source += `\\${next}`;
    } else if (char === "*") {
      if (wildcard.charAt(i + 1) === "*")
        throw new PatternError(field, `wildcard ${JSON.stringify(wildcard)}: consecutive * are not allowed`);
      source += "[\\s\\S]*";
    } else source += char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}
