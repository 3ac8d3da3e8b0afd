import { defineConfig } from "./src/config/defineConfig.ts";

/**
 * Example configuration: the sample app in examples/app, released from `main` and from `v*` tags,
 * scanned with ECR basic scanning, replicated to two more regions. `sst.config.ts`, `npm run synth`,
 * `portcullis trust-policy` and the local pipeline all read this file; an invalid value fails them with the
 * field and value named.
 */
export default defineConfig({
  primaryRegion: "us-east-1",
  replicaRegions: ["eu-west-1", "ap-southeast-2"],
  repositories: [
    {
      name: "portcullis/example-app",
      context: "examples/app",
      // Alpine pinned by digest: ECR cannot scan a FROM scratch image, so that one could never pass the gate.
      dockerfile: "Dockerfile",
      // `npm start` runs offline and cannot pull Alpine: it builds the FROM scratch variant.
      localDockerfile: "Dockerfile.offline",
      platforms: ["linux/amd64", "linux/arm64"],
    },
  ],
  github: {
    owner: "portcullis-dev",
    repo: "portcullis",
    branches: ["main"],
    tagPatterns: ["v*"],
    environments: [],
  },
  scanning: "basic",
  policyFile: "examples/policies/portcullis.policy.yaml",
  tags: {
    // `latest` follows releases; `main` follows the branch. Exact versions (1.2.3) stay frozen in ECR.
    latest: "release",
    floatingTags: false,
  },
  registry: { tagMutability: "immutable-with-exclusion", untaggedExpiryDays: 14, keepBuildImages: 100 },
  build: { timeoutMinutes: 60, logRetentionDays: 30 },
  report: { kind: "check-run", githubAppSecret: "portcullis/github-app" },
  slack: { webhookSecret: "portcullis/slack-webhook" },
});
