import type { AwsStub } from "aws-sdk-client-mock";
import { buildProjectName } from "../../src/build/buildProjectName.ts";
import type { PortcullisConfig } from "../../src/config/index.ts";
import { exampleConfig } from "../stacks/pipelineSynth.ts";
import type { BuildNames, SentCommand } from "./buildActions.ts";

/** The deployment the build tests stand for: repository `shop/web` built in eu-west-1 (test/buildspec, test/build). */
export const BUILD_CONFIG: PortcullisConfig = exampleConfig({
  primaryRegion: "eu-west-1",
  replicaRegions: [],
  repositories: [
    {
      name: "shop/web",
      context: "examples/app",
      dockerfile: "Dockerfile",
      platforms: ["linux/amd64", "linux/arm64"],
    },
  ],
});

/** Every project a build test names stands for the deployed project of `shop/web`. */
export const BUILD_NAMES: BuildNames = {
  region: "eu-west-1",
  project: () => buildProjectName("portcullis", "test", "shop/web"),
};

/** The commands aws-sdk-client-mock stubs received, in order per stub. */
// biome-ignore lint/suspicious/noExplicitAny: any client's stub.
export function sentCommands(...stubs: AwsStub<any, any, any>[]): SentCommand[] {
  return stubs.flatMap((stub) =>
    stub.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
      return { name: command.constructor.name, input: command.input };
    }),
  );
}
