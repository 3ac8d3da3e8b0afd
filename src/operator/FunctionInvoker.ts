/** Invokes a deployed function (Lambda Invoke; a test's stand-in locally). */
export interface FunctionInvoker {
  /** Queues an asynchronous invocation (`Event`); resolves once Lambda accepted it, throws otherwise. */
  invokeAsync(functionName: string, payload: unknown): Promise<void>;
  /** Invokes and waits (`RequestResponse`): the function's result, or a thrown error with its message. */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}
