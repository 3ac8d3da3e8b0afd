import type { RegistryDirectory } from "../../handlers/ports.ts";
import { createRegistryClient, type RegistryClient, type RetryOptions } from "../../registry/index.ts";

/** Options for {@link LocalRegistryDirectory}. */
export interface LocalRegistryDirectoryOptions {
  /** `region → 127.0.0.1:PORT` of the loopback registry playing that region's ECR. */
  readonly hosts: Readonly<Record<string, string>>;
  /** The transport's retry policy (the default retries 5 times with backoff). */
  readonly retry?: RetryOptions;
}

/**
 * {@link RegistryDirectory} mapping each region to a loopback distribution registry (plain HTTP, anonymous):
 * the same OCI client the Lambdas use against ECR, one per region, kept for the pipeline's life.
 * @example new LocalRegistryDirectory({ hosts: { "us-east-1": "127.0.0.1:5000" } }).clientFor("us-east-1")
 */
export class LocalRegistryDirectory implements RegistryDirectory {
  readonly #hosts: Readonly<Record<string, string>>;
  readonly #clients = new Map<string, RegistryClient>();
  readonly #retry: RetryOptions | undefined;

  constructor(options: LocalRegistryDirectoryOptions) {
    this.#hosts = options.hosts;
    this.#retry = options.retry;
  }

  clientFor(region: string): RegistryClient {
    const host = this.#hosts[region];
    if (host === undefined)
      throw new RangeError(
        `no local registry plays region ${JSON.stringify(region)} (known: ${Object.keys(this.#hosts).join(", ")})`,
      );
    let client = this.#clients.get(region);
    if (!client) {
      client = createRegistryClient(host, { insecure: true, ...(this.#retry && { retry: this.#retry }) });
      this.#clients.set(region, client);
    }
    return client;
  }

  /** Closes every client's keep-alive sockets. */
  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
