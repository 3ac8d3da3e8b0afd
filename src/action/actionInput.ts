/**
 * An input of the running action as the runner passes it: the variable `INPUT_<NAME>` (the input id upper-cased,
 * spaces turned into `_`, hyphens kept), trimmed; "" when unset. The rule @actions/core's getInput applies
 * (GitHub Docs, "Metadata syntax for GitHub Actions", inputs: "GitHub stores input parameters as environment
 * variables").
 * @example actionInput({ "INPUT_SOURCE-VERSION": " 0123… " }, "source-version") // "0123…"
 */
export function actionInput(env: Readonly<Record<string, string | undefined>>, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
