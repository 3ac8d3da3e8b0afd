/** What ties a log line to a release: the repository, the image or index digest, the commit, the event. */
export interface CorrelationKeys {
  readonly repository?: string;
  readonly digest?: string;
  readonly commit?: string;
  readonly eventId?: string;
  readonly detailType?: string;
}

const MAX_VALUE = 256;

/**
 * Picks the correlation keys out of a raw event without validating it (validation is the handler's job, and a
 * refused event is exactly the one worth correlating): Portcullis events (`detail.candidate`, `detail.git`),
 * ECR and Inspector events (`repository-name` — an ARN for Inspector — and `image-digest`), Inspector findings
 * (`resources[0].details.awsEcrContainerImage`), and SNS records (message attributes). Never throws.
 * @example correlationKeys(event) // => { repository: "team/app", digest: "sha256:…", commit: "…", eventId: "…" }
 */
export function correlationKeys(event: unknown): CorrelationKeys {
  if (!isRecord(event)) return {};
  const sns = snsAttributes(event);
  if (sns) return sns;
  const detail = isRecord(event.detail) ? event.detail : {};
  const candidate = isRecord(detail.candidate) ? detail.candidate : {};
  const git = isRecord(detail.git) ? detail.git : {};
  const image = findingImage(detail);
  return compact({
    repository:
      text(candidate.repository) ?? repositoryName(detail["repository-name"]) ?? text(image.repositoryName),
    digest: text(candidate.digest) ?? text(detail["image-digest"]) ?? text(image.imageHash),
    commit: text(git.commit),
    eventId: text(event.id),
    detailType: text(event["detail-type"]),
  });
}

function snsAttributes(event: Record<string, unknown>): CorrelationKeys | undefined {
  const record = Array.isArray(event.Records) && isRecord(event.Records[0]) ? event.Records[0] : undefined;
  if (!record || !isRecord(record.Sns)) return undefined;
  const attributes = isRecord(record.Sns.MessageAttributes) ? record.Sns.MessageAttributes : {};
  const value = (name: string) => {
    const attribute = attributes[name];
    return isRecord(attribute) ? text(attribute.Value) : undefined;
  };
  return compact({
    repository: value("repository"),
    digest: value("digest"),
    commit: value("commit"),
    eventId: text(record.Sns.MessageId),
    detailType: text(record.Sns.Subject),
  });
}

function findingImage(detail: Record<string, unknown>): Record<string, unknown> {
  const resource = Array.isArray(detail.resources) ? detail.resources[0] : undefined;
  const details = isRecord(resource) && isRecord(resource.details) ? resource.details : {};
  return isRecord(details.awsEcrContainerImage) ? details.awsEcrContainerImage : {};
}

/** ECR names the repository; Inspector2 Scan gives its ARN (`arn:…:repository/NAME`). */
function repositoryName(value: unknown): string | undefined {
  const name = text(value);
  const at = name?.indexOf(":repository/") ?? -1;
  return name !== undefined && at >= 0 ? name.slice(at + ":repository/".length) : name;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, MAX_VALUE) : undefined;
}

function compact(keys: Record<string, string | undefined>): CorrelationKeys {
  return Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
