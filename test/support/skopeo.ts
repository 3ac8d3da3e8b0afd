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

/** `skopeo copy --all --preserve-digests` from a registry into an OCI layout directory. */
export async function skopeoCopyToOci(reference: string, dir: string, tag = "copy"): Promise<void> {
  await run("skopeo", [
    "copy",
    "--quiet",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    `docker://${reference}`,
    `oci:${dir}:${tag}`,
  ]);
}
