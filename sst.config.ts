import type { SSTConfig } from "sst";
import { registerStacks } from "./stacks/registerStacks.ts";

export default {
  config(_input) {
    return { name: "portcullis", region: process.env.PORTCULLIS_REGION ?? "us-east-1" };
  },
  stacks(app) {
    registerStacks(app);
  },
} satisfies SSTConfig;
