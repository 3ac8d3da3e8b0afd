/** Lambda entry point of the reconcile function (schedule, Inspector2 Finding): AWS adapters into createReconcileHandler. */
import { createReconcileHandler } from "../src/handlers/reconcile/createReconcileHandler.ts";
import { awsHandlerDeps } from "../src/lambda/awsHandlerDeps.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";

/** The reconcile function. */
export const handler = lambdaHandler(createReconcileHandler(await awsHandlerDeps("reconcile")));
