// Imported first by tests of cold-start behaviour: Powertools counts a cold start only for on-demand containers,
// and reads the variable when its utilities are constructed (at import).
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = "on-demand";
