/** One AWS call a Portcullis function (or the build, or the release workflow) makes, as IAM authorizes it. */
export interface AwsCall {
  /** Who calls: a function name (`gate`), `codebuild` or `release`. */
  readonly caller: string;
  /** The IAM action, e.g. `ecr:ListImages`. */
  readonly action: string;
  /** The resource ARN IAM evaluates (`*` for actions without resource-level permissions). */
  readonly resource: string;
  /** Where the call comes from: the source frame that used the port, and what went over the wire. */
  readonly site: string;
  /** Request context keys AWS sets for this call (e.g. `kms:ViaService`; multivalued keys as lists). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** The same calls once each (same caller, action, resource and context), keeping the first call site. */
export function uniqueCalls(calls: readonly AwsCall[]): AwsCall[] {
  const seen = new Map<string, AwsCall>();
  for (const call of calls) {
    const key = JSON.stringify([call.caller, call.action, call.resource, call.context ?? {}]);
    if (!seen.has(key)) seen.set(key, call);
  }
  return [...seen.values()];
}
