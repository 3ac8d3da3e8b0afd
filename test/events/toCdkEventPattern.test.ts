import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { type EventPattern as CdkPattern, Rule } from "aws-cdk-lib/aws-events";
import { describe, expect, it } from "vitest";
import { PatternError, RULE_PATTERN_NAMES, rulePatterns, toCdkEventPattern } from "../../src/events/index.ts";

describe("toCdkEventPattern", () => {
  it("renders, through a real events.Rule, exactly the pattern the local bus matches", () => {
    const patterns = rulePatterns({
      repositories: ["team/app", "a/b/c"],
      buildProjects: ["portcullis-build"],
    });
    const stack = new Stack(new App(), "Rules");
    for (const name of RULE_PATTERN_NAMES) {
      const eventPattern: CdkPattern = toCdkEventPattern(patterns[name]);
      new Rule(stack, name, { eventPattern });
    }
    const rules = Object.values(Template.fromStack(stack).findResources("AWS::Events::Rule")) as {
      Properties: { EventPattern: unknown };
    }[];
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual(
      RULE_PATTERN_NAMES.map((n) => patterns[n]),
    );
  });

  it("renames only detail-type and keeps detail untouched", () => {
    const { gate } = rulePatterns({ repositories: ["team/app"] });
    expect(toCdkEventPattern(gate)).toEqual({
      source: ["aws.ecr", "aws.inspector2"],
      detailType: ["ECR Image Scan", "Inspector2 Scan"],
      detail: { "repository-name": ["team/app", { suffix: ":repository/team/app" }] },
    });
  });

  it.each([
    ["an operator at the top level", { source: [{ prefix: "aws." }] }],
    ["$or at the top level", { $or: [{ source: ["a"] }, { source: ["b"] }] }],
    ["a detail that is not an object", { detail: ["x"] }],
  ])("refuses %s, which CDK's EventPattern type cannot carry", (_title, pattern) => {
    expect(() => toCdkEventPattern(pattern)).toThrow(PatternError);
  });
});
