import { Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import { beforeAll, describe, expect, it } from "vitest";
import { Core } from "../../stacks/Core.ts";

describe("stacks", () => {
  let template: Template;
  beforeAll(async () => {
    await initProject({ stage: "test" });
    const app = new App({ mode: "deploy", stage: "test", name: "portcullis" });
    app.stack(Core);
    await app.finish();
    template = Template.fromStack(getStack(Core));
  });

  it("synthesizes the core stack offline", () => {
    expect(Object.keys(template.findResources("AWS::SNS::Topic"))).toHaveLength(1);
  });
});
