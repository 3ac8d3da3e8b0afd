import { ValidationError } from "../../core/ValidationError.ts";
import {
  createRegistryClient,
  defaultCredentials,
  type PromoteResult,
  promote,
  RegistryError,
} from "../../registry/index.ts";
import { type Command, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";
import { reference } from "./copy.ts";

const usage = `Usage: portcullis promote IMAGE@DIGEST --tag T [--tag T2 …] [--insecure]

Points each tag at the image or index by PUTting its manifest bytes unchanged (the digest never
changes; no blob is copied). Tags already there are left alone. An unknown digest is refused.

  IMAGE@DIGEST   host[:port]/repository@sha256:…
  --tag T        a tag to move (repeatable)
  --insecure     plain HTTP (always used for localhost, 127.0.0.0/8 and [::1])`;

/** `portcullis promote IMAGE@DIGEST --tag T…`: the CLI edge over {@link promote}. */
export const command: Command = {
  name: "promote",
  summary: "Point tags at an image digest (no layer copy)",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOrUsage(argv);
    if (positionals.length !== 1)
      throw new UsageError(`expected IMAGE@DIGEST, got ${positionals.length} argument(s)`);
    const image = reference(positionals[0], "IMAGE");
    if (image.digest === undefined)
      throw new UsageError(`IMAGE: ${JSON.stringify(positionals[0])} must be pinned by digest (…@sha256:…)`);
    const tags = values.tag ?? [];
    if (tags.length === 0) throw new UsageError("at least one --tag is required");
    const client = createRegistryClient(image.registry, {
      insecure: values.insecure ?? false,
      credentials: defaultCredentials(io.env),
    });
    try {
      io.stdout(render(await promote({ client, image, tags })));
      return ExitCode.Ok;
    } catch (error) {
      if (error instanceof ValidationError) throw new UsageError(error.message);
      if (error instanceof RegistryError) {
        io.stderr(`portcullis promote: ${error.message}\n`);
        return ExitCode.Failed;
      }
      throw error;
    } finally {
      client.close();
    }
  },
};

function parseOrUsage(argv: readonly string[]) {
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    options: { tag: { type: "string", multiple: true }, insecure: { type: "boolean" } },
  });
}

function render(result: PromoteResult): string {
  const lines = result.tags.map((move) =>
    move.kind === "unchanged"
      ? `unchanged ${move.tag} (already ${result.digest})`
      : `moved ${move.tag} -> ${result.digest}${move.previous ? ` (was ${move.previous})` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
