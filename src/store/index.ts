export * from "./createTable.ts";
export * from "./DynamoReleaseStore.ts";
export * from "./errors.ts";
export * from "./keys.ts";
export * from "./ReleaseStore.ts";
export * from "./tableDesign.ts";
