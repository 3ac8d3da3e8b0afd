import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../stacks/pipelineSynth.ts";
import type { CfnTemplate } from "../stacks/synthPortcullis.ts";
import { DeployedPolicies } from "./deployedPolicies.ts";
import { deploymentArns } from "./deployment.ts";
import { type ServiceRequest, serviceRequests } from "./serviceAccess.ts";
import { simulate } from "./simulateCalls.ts";
import { synthTemplates } from "./synthTemplates.ts";

/** The requests the simulator refuses, each as `principal action resource: verdict (why)`. */
async function refused(deployed: DeployedPolicies, requests: readonly ServiceRequest[]): Promise<string[]> {
  const policies = deployed.resourcePolicies();
  const lines: string[] = [];
  for (const request of requests) {
    const verdict = await simulate({
      ...request,
      identityPolicies: [],
      resourcePolicy: policies.get(request.resource),
    });
    if (verdict !== "Allowed")
      lines.push(`${request.principal} ${request.action} ${request.resource}: ${verdict} (${request.why})`);
  }
  return lines;
}

describe.each([["basic"], ["enhanced"]] as const)(
  "service principals of a %s-scanning deployment",
  (scanning) => {
    let deployed: DeployedPolicies;
    let requests: ServiceRequest[];
    beforeAll(async () => {
      const config = exampleConfig({ scanning });
      const templates = await synthTemplates(config);
      deployed = new DeployedPolicies(templates, config.primaryRegion);
      requests = serviceRequests(deployed, templates.get("Pipeline") as CfnTemplate);
    });

    const of = (principal: string, action: string) =>
      requests.filter((r) => r.principal === principal && r.action === action);

    it("let CloudWatch publish every alarm to the notification topic, through its KMS key", async () => {
      const publishes = of("cloudwatch.amazonaws.com", "sns:Publish");
      // Two alarms per function (errors, dead letters), six functions (replicate: replica regions are configured).
      expect(publishes).toHaveLength(12);
      expect(new Set(publishes.map((r) => r.resource))).toEqual(
        new Set([deploymentArns(deployed.region).topic]),
      );
      expect(
        await refused(
          deployed,
          requests.filter((r) => r.principal === "cloudwatch.amazonaws.com"),
        ),
      ).toEqual([]);
    });

    it("refuse another account's alarms on the topic", async () => {
      const [publish] = of("cloudwatch.amazonaws.com", "sns:Publish");
      if (publish === undefined) throw new Error("no alarm publishes to the topic");
      const foreign = {
        ...publish,
        context: {
          "aws:SourceArn": publish.context["aws:SourceArn"]?.replace(/:\d{12}:/, ":999999999999:") ?? "",
          "aws:SourceAccount": "999999999999",
        },
      };
      expect(await refused(deployed, [foreign])).toHaveLength(1);
    });

    it("let EventBridge invoke every rule's function and write its dead-letter queue", async () => {
      const invokes = of("events.amazonaws.com", "lambda:InvokeFunction");
      expect(invokes.length).toBe(scanning === "enhanced" ? 7 : 6);
      expect(of("events.amazonaws.com", "sqs:SendMessage")).toHaveLength(invokes.length);
      expect(
        await refused(
          deployed,
          requests.filter((r) => r.principal === "events.amazonaws.com"),
        ),
      ).toEqual([]);
    });

    it("let SNS invoke the notify function and write its dead-letter queue", async () => {
      expect(of("sns.amazonaws.com", "lambda:InvokeFunction")).toHaveLength(1);
      expect(of("sns.amazonaws.com", "sqs:SendMessage")).toHaveLength(1);
      expect(
        await refused(
          deployed,
          requests.filter((r) => r.principal === "sns.amazonaws.com"),
        ),
      ).toEqual([]);
    });
  },
);
