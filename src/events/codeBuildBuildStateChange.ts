import { z } from "zod";
import { ok } from "../core/index.ts";
import { compact } from "./compact.ts";
import { defineContract } from "./EventContract.ts";
import { type EventBase, eventBase } from "./EventEnvelope.ts";

/** CodeBuild's build statuses (API_Build `buildStatus`). */
export const BUILD_STATUSES = [
  "IN_PROGRESS",
  "SUCCEEDED",
  "FAILED",
  "FAULT",
  "TIMED_OUT",
  "STOPPED",
] as const;
/** A CodeBuild build status. */
export type BuildStatus = (typeof BUILD_STATUSES)[number];

/** A CodeBuild build changed state (one event per build; a batch's builds each send their own). */
export interface BuildStateChanged extends EventBase {
  readonly kind: "build-state-changed";
  readonly project: string;
  /** The build ARN, as `detail.build-id` carries it. */
  readonly buildId: string;
  readonly status: BuildStatus;
  readonly currentPhase?: string;
  readonly buildNumber?: number;
  /** The commit or ref built, when CodeBuild reports it (`source-version`). */
  readonly sourceVersion?: string;
  readonly initiator?: string;
  /** The build's environment variables by name (for PARAMETER_STORE/SECRETS_MANAGER: the reference, not the secret). */
  readonly environment: Readonly<Record<string, string>>;
  /** The batch this build belongs to, when the event says (`build-batch-arn`; not in AWS's published sample). */
  readonly batchId?: string;
  readonly logsUrl?: string;
}

const variable = z.object({ name: z.string().min(1), value: z.string(), type: z.string().optional() });

const additional = z.object({
  "build-number": z.number().int().optional(),
  "source-version": z.string().optional(),
  initiator: z.string().optional(),
  "build-batch-arn": z.string().min(1).optional(),
  environment: z.object({ "environment-variables": z.array(variable).default([]) }).optional(),
  logs: z.object({ "deep-link": z.string().optional() }).optional(),
});

const detail = z.object({
  "build-status": z.enum(BUILD_STATUSES),
  "project-name": z.string().min(1),
  "build-id": z.string().min(1),
  "current-phase": z.string().optional(),
  "additional-information": additional.default({}),
});

/**
 * `CodeBuild Build State Change` → `build-state-changed`. Display-string timestamps inside
 * `additional-information` are ignored; the envelope `time` is the event time.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications.html
 */
export const codeBuildBuildStateChangeContract = defineContract({
  source: "aws.codebuild",
  detailType: "CodeBuild Build State Change",
  detail,
  normalize(envelope, d) {
    const info = d["additional-information"];
    const variables = info.environment?.["environment-variables"] ?? [];
    return ok(
      compact({
        kind: "build-state-changed",
        ...eventBase(envelope),
        project: d["project-name"],
        buildId: d["build-id"],
        status: d["build-status"],
        currentPhase: d["current-phase"],
        buildNumber: info["build-number"],
        sourceVersion: info["source-version"],
        initiator: info.initiator,
        environment: Object.fromEntries(variables.map((v) => [v.name, v.value])),
        batchId: info["build-batch-arn"],
        logsUrl: info.logs?.["deep-link"],
      } satisfies BuildStateChanged),
    );
  },
});
