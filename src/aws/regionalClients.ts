/**
 * One SDK client per region, created on first use and reused for the life of the Lambda container (keep-alive
 * sockets, cached credentials). The factory is where the entry point adds tracing.
 * @example const ecr = regionalClients((region) => tracer.captureAWSv3Client(new ECRClient({ region })));
 * await ecr("eu-west-1").send(new CreateRepositoryCommand({ … }));
 */
export function regionalClients<C>(create: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}
