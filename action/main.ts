/** Entry point of the GitHub Action (action.yml); scripts/bundle-action.mjs bundles it into action/dist/. */
import { runAction } from "../src/action/runAction.ts";

process.exitCode = await runAction({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: false,
  env: process.env,
  cwd: process.cwd(),
});
