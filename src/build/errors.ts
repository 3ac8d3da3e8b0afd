/** CodeBuild accepted a request but answered without the batch it should describe. */
export class BatchMissingError extends Error {
  override readonly name = "BatchMissingError";
  readonly batchId: string | undefined;

  constructor(what: string, batchId?: string) {
    super(`${what}: CodeBuild returned no build batch${batchId ? ` for ${batchId}` : ""}`);
    this.batchId = batchId;
  }
}
