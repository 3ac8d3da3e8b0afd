/** Terminal and running states of a CodeBuild batch or build. */
export type BuildStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "FAULT" | "STOPPED" | "TIMED_OUT";

/** A batch as last seen: its jobs (build groups) and the build each one is running. */
export interface BatchSnapshot {
  readonly id: string;
  readonly status: BuildStatus;
  readonly jobs: readonly { readonly identifier: string; readonly buildId?: string }[];
}

/** One build of a batch as last seen. */
export interface BuildSnapshot {
  readonly id: string;
  readonly status: BuildStatus;
  /** Where its CloudWatch logs are, once CodeBuild has said. */
  readonly logs?: { readonly group: string; readonly stream: string };
  /** Exported environment variables (set at the end of the build). */
  readonly exported: Readonly<Record<string, string>>;
  /** Why a failed phase failed, from CodeBuild's phase contexts. */
  readonly failures: readonly string[];
}

/** What starting a batch needs. */
export interface StartBatchRequest {
  readonly project: string;
  readonly sourceVersion: string;
  readonly environment: readonly {
    readonly name: string;
    readonly value: string;
    readonly type: "PLAINTEXT";
  }[];
}

/** The CodeBuild operations a release needs: exactly what the release role may do. */
export interface BuildBatchApi {
  start(request: StartBatchRequest): Promise<BatchSnapshot>;
  batch(id: string): Promise<BatchSnapshot>;
  builds(ids: readonly string[]): Promise<BuildSnapshot[]>;
}

/** A page of log events and the token that continues after it. */
export interface LogPage {
  readonly messages: readonly string[];
  /** GetLogEvents' nextForwardToken; equal to the token sent when the stream has nothing newer. */
  readonly nextToken?: string;
}

/** Reads a log stream forward from a token (from the head when none). */
export interface LogApi {
  page(group: string, stream: string, token?: string): Promise<LogPage>;
}
