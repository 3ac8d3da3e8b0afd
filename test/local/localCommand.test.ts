import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { stopKeptRegistries } from "../../src/local/services/LocalServices.ts";
import { stateLayout } from "../../src/local/services/StateLayout.ts";
import { captureIo } from "../support/captureIo.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/portcullis.js");

/** A loopback stand-in for api.github.com and a Slack webhook that records what it is sent. */
async function startRecorder(): Promise<{
  url: string;
  requests: { method: string; path: string; body: unknown }[];
  server: Server;
}> {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    requests.push({
      method: req.method ?? "",
      path: req.url ?? "",
      body: text ? JSON.parse(text) : undefined,
    });
    res.writeHead(req.url === "/hook" ? 200 : 201, { "content-type": "application/json" });
    res.end(req.url === "/hook" ? "ok" : JSON.stringify({ id: requests.length, state: "failure" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe("portcullis local", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-local-cli-"));
  });

  afterAll(async () => {
    await stopKeptRegistries(stateLayout(dir, "kept"));
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [
      ["--scenario", "nope"],
      /--scenario "nope" must be one of pass, fail, allowlisted, expired-allowlist, scan-failed/,
    ],
    [["--scenario", "pass", "--findings", "x"], /give --scenario or --findings, not both/],
    [["--github-repo", "not a repo"], /--github-repo "not a repo" must be OWNER\/REPO/],
    [["extra"], /unexpected argument "extra"/],
  ])("refuses %j with exit 2 before starting anything", async (argv, message) => {
    const io = captureIo({ cwd: dir });
    expect(await main(["local", ...argv], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it("refuses a findings folder with an invalid file, naming the file, field and value (exit 2)", async () => {
    const findings = join(dir, "bad-findings");
    await mkdir(findings, { recursive: true });
    await writeFile(
      join(findings, "linux-amd64.json"),
      JSON.stringify({ imageScanStatus: { status: "DONE" } }),
    );
    const io = captureIo({ cwd: ROOT });
    expect(await main(["local", "--findings", findings, "--state", join(dir, "state")], io)).toBe(2);
    expect(io.err()).toMatch(/linux-amd64\.json: imageScanStatus\.status: "DONE"/);
    expect(io.err()).toMatch(/linux-arm64\.json: missing/);
  });

  it("refuses GitHub App settings without a private key, never echoing the settings (exit 2)", async () => {
    const io = captureIo({ cwd: ROOT, env: { GITHUB_APP_ID: "12", GITHUB_APP_INSTALLATION_ID: "34" } });
    expect(await main(["local", "--state", join(dir, "state"), "--github-repo", "octo/shop"], io)).toBe(2);
    expect(io.err()).toMatch(/privateKey: "\[redacted\]" must be the App's PEM private key/);
  });

  it("runs the failing scenario end to end through the bin, reporting to GitHub and Slack, and exits 0", async () => {
    const recorder = await startRecorder();
    try {
      const { stdout } = await run(
        "node",
        [BIN, "local", "--scenario", "fail", "--state", join(dir, "fail"), "--github-repo", "octo/shop"],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            GITHUB_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            GITHUB_API_URL: recorder.url,
            SLACK_WEBHOOK_URL: `${recorder.url}/hook`,
          },
        },
      );
      expect(stdout).toMatch(/Decision {3}FAILED\n {13}• linux\/amd64: 1 fixable CRITICAL finding, limit 0/);
      expect(stdout).toMatch(/Promoted {3}nothing/);
      expect(stdout).toMatch(/Result {5}OK — the pipeline did what the policy says/);
      const statuses = recorder.requests.filter((r) => r.path.startsWith("/repos/octo/shop/statuses/"));
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.at(-1)?.body).toMatchObject({
        state: "failure",
        context: "portcullis/portcullis/example-app",
      });
      const slack = recorder.requests.filter((r) => r.path === "/hook");
      expect(slack).toHaveLength(1);
      expect(slack.map((r) => (r.body as { text: string }).text)).toEqual([
        expect.stringMatching(/^Rejected: portcullis\/example-app/),
      ]);
    } finally {
      recorder.server.close();
    }
  });

  it("prints the check run and a Slack preview, and with --keep leaves the registries up for skopeo", async () => {
    const { stdout } = await run("node", [BIN, "local", "--state", join(dir, "kept"), "--keep"], {
      cwd: ROOT,
    });
    expect(stdout).toMatch(
      /^# Portcullis: portcullis\/example-app on portcullis-dev\/portcullis@[0-9a-f]{7} \(completed: success\)$/m,
    );
    expect(stdout).toMatch(/\*🚀 Promoted: portcullis\/example-app as main\*/);
    const line =
      /skopeo list-tags --tls-verify=false docker:\/\/(127\.0\.0\.1:\d+)\/portcullis\/example-app/.exec(
        stdout,
      );
    expect(line).not.toBeNull();
    const { stdout: tags } = await run("skopeo", [
      "list-tags",
      "--tls-verify=false",
      `docker://${line?.[1]}/portcullis/example-app`,
    ]);
    expect(JSON.parse(tags).Tags).toContain("main");
    const kept = JSON.parse(await readFile(join(dir, "kept/services.json"), "utf8")) as {
      registries: unknown[];
    };
    expect(kept.registries).toHaveLength(3);
    expect(await stopKeptRegistries(stateLayout(dir, "kept"))).toBe(3);
  });
});
