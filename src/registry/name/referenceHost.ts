import { fail, ok, type Result } from "../../core/result.ts";

/** Where `docker pull nginx` goes: references without a registry part resolve here. */
export const DEFAULT_REGISTRY = "docker.io";
/** The API endpoint behind {@link DEFAULT_REGISTRY}. */
export const DEFAULT_REGISTRY_ENDPOINT = "registry-1.docker.io";

const LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;

/**
 * Validates a registry host: `name[:port]`, `a.b.c.d[:port]` or `[ipv6][:port]`, per the
 * distribution reference grammar (https://github.com/distribution/reference/blob/main/reference.go).
 * @example parseRegistryHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com")
 */
export function parseRegistryHost(value: string, field = "registry"): Result<string> {
  const { hostname, port } = splitHostPort(value);
  if (!HOSTNAME.test(hostname) && !IPV6.test(hostname))
    return fail([
      { field, value, message: "must be a host name, an IPv4 address or a [bracketed] IPv6 address" },
    ]);
  if (port !== undefined && !isPort(port))
    return fail([{ field, value, message: "must have a port between 1 and 65535" }]);
  return ok(value);
}

/** True for the loopback hosts where plain HTTP is allowed without asking: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(registry: string): boolean {
  const { hostname } = splitHostPort(registry);
  const lower = hostname.toLowerCase();
  return lower === "localhost" || lower === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(lower);
}

/** True when the first path component of a name is a registry (has `.` or `:`, or is `localhost`). */
export function looksLikeRegistry(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** The host to send API requests to (Docker Hub's API lives on another name). */
export function registryEndpoint(registry: string): string {
  return registry === DEFAULT_REGISTRY ? DEFAULT_REGISTRY_ENDPOINT : registry;
}

function splitHostPort(value: string): { hostname: string; port?: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(value);
  return match ? { hostname: match[1] ?? "", port: match[2] } : { hostname: value };
}

function isPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}
