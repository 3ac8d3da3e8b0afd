/** Lambda entry point of the gate function (ECR Image Scan, Inspector2 Scan): AWS adapters into createGateHandler. */
import { createGateHandler } from "../src/handlers/gate/createGateHandler.ts";
import { awsHandlerDeps } from "../src/lambda/awsHandlerDeps.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";

/** The gate function. */
export const handler = lambdaHandler(createGateHandler(await awsHandlerDeps("gate")));
