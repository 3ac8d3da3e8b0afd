/**
 * One workflow command line, `::name key=value,…::message`, escaped as the runner unescapes it (GitHub Docs,
 * "Workflow commands for GitHub Actions"; the same escaping as @actions/core): in the message `%`, CR and LF;
 * in property values also `:` and `,`. A message can then never end the line or start another command.
 * @example workflowCommand("error", "batch FAILED:\n  arm64", { title: "Portcullis build" })
 */
export function workflowCommand(
  name: string,
  message = "",
  properties: Readonly<Record<string, string>> = {},
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
