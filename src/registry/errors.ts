/** One error the registry reported, as in the spec's error body `{"errors":[{code,message,detail}]}`. */
export interface OciErrorEntry {
  /** A spec code (BLOB_UNKNOWN, MANIFEST_UNKNOWN, DENIED, TOOMANYREQUESTS, …) or a registry's own. */
  readonly code: string;
  readonly message: string;
}

/** What a {@link RegistryError} carries; every field is safe to print (URLs are redacted). */
export interface RegistryErrorInit {
  readonly message: string;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** Error entries parsed from the body, or raised client-side (DIGEST_INVALID, UNSUPPORTED…). */
  readonly errors?: readonly OciErrorEntry[];
  readonly method?: string;
  /** The request URL with credentials and signatures removed (see `redactUrl`). */
  readonly url?: string;
  /** Delay the registry asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Node's code for a failed connection (ECONNRESET, ETIMEDOUT…). */
  readonly networkCode?: string;
  readonly cause?: unknown;
}

/** Codes that mean "try again later", per the spec's error code table and distribution's UNAVAILABLE. */
/** UPLOAD_RESTART is ours: a chunked upload whose session is gone, to be started again. */
const RETRYABLE_CODES = new Set(["TOOMANYREQUESTS", "UNAVAILABLE", "UPLOAD_RESTART"]);
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * The registry engine's one error type: a failed response, a failed connection or content that
 * does not match its digest. Codes follow
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
 * @example if (error instanceof RegistryError && error.codes.includes("MANIFEST_UNKNOWN")) …
 */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
  readonly status: number | undefined;
  readonly errors: readonly OciErrorEntry[];
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly networkCode: string | undefined;

  constructor(init: RegistryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.method = init.method;
    this.url = init.url;
    this.retryAfterMs = init.retryAfterMs;
    this.networkCode = init.networkCode;
  }

  /** The spec codes, e.g. `["MANIFEST_UNKNOWN"]`. */
  get codes(): readonly string[] {
    return this.errors.map((entry) => entry.code);
  }

  /** True for throttling, server errors and dropped connections; decided from codes and statuses only. */
  isRetryable(): boolean {
    if (this.codes.some((code) => RETRYABLE_CODES.has(code))) return true;
    if (this.status !== undefined) return RETRYABLE_STATUSES.has(this.status);
    return this.networkCode !== undefined && RETRYABLE_NETWORK.has(this.networkCode);
  }

  /** A copy whose message starts with what was being attempted ("copying sha256:… to …: "). */
  withContext(what: string): RegistryError {
    return new RegistryError({ ...this.init(), message: `${what}: ${this.message}`, cause: this });
  }

  /** A copy with a note after the message ("…: 503 Service Unavailable (gave up after 6 attempts in 3.1 s)"). */
  withNote(note: string): RegistryError {
    return new RegistryError({ ...this.init(), message: `${this.message} (${note})`, cause: this });
  }

  private init(): RegistryErrorInit {
    return {
      message: this.message,
      status: this.status,
      errors: this.errors,
      method: this.method,
      url: this.url,
      retryAfterMs: this.retryAfterMs,
      networkCode: this.networkCode,
    };
  }
}

/** Wraps anything thrown into a {@link RegistryError} with context; keeps its codes and status. */
export function registryErrorFrom(error: unknown, what: string): RegistryError {
  if (error instanceof RegistryError) return error.withContext(what);
  const code = (error as { code?: unknown } | null)?.code;
  return new RegistryError({
    message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
    networkCode: typeof code === "string" ? code : undefined,
    cause: error,
  });
}
