import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** `skopeo inspect --raw`: the manifest bytes exactly as another client reads them. */
export async function skopeoRaw(reference: string): Promise<Buffer> {
  const { stdout } = await run(
    "skopeo",
    ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`],
    {
      encoding: "buffer",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

/**
 * `skopeo copy --all` from a registry into an OCI layout directory: it pulls and verifies every blob.
 * Digests are preserved unless the source uses Docker media types (an OCI layout needs them converted).
 */
export async function skopeoCopyToOci(
  reference: string,
  dir: string,
  options: { preserveDigests?: boolean } = {},
): Promise<void> {
  const preserve = (options.preserveDigests ?? true) ? ["--preserve-digests"] : [];
  const args = [
    "copy",
    "--quiet",
    "--all",
    ...preserve,
    "--src-tls-verify=false",
    `docker://${reference}`,
    `oci:${dir}:copy`,
  ];
  await run("skopeo", args);
}
