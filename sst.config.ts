import type { SSTConfig } from "sst";
import portcullis from "./portcullis.config.ts";
import { InvalidConfigError } from "./src/config/errors.ts";
import { parseConfig } from "./src/config/parseConfig.ts";
import { registerStacks } from "./stacks/registerStacks.ts";

// Validated before SST does anything: a bad value stops `sst deploy` with the field and value named.
const parsed = parseConfig(portcullis);
if (!parsed.ok) throw new InvalidConfigError("portcullis.config.ts", parsed.error);
const config = parsed.value;

export default {
  config() {
    // The primary region by default; `sst deploy --region <replica>` deploys a replica region's registry.
    return { name: "portcullis", region: config.primaryRegion };
  },
  stacks(app) {
    registerStacks(app, config);
  },
} satisfies SSTConfig;
