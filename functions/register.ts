/** Lambda entry point of the register function (ECR Image Action PUSH of a build tag): AWS adapters into createRegisterHandler. */
import { createRegisterHandler } from "../src/handlers/register/createRegisterHandler.ts";
import { awsHandlerDeps } from "../src/lambda/awsHandlerDeps.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";

/** The register function. */
export const handler = lambdaHandler(createRegisterHandler(await awsHandlerDeps("register")));
