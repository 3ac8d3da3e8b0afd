import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * GitHub's own OpenAPI description of api.github.com (from @octokit/openapi) as a request checker for the
 * loopback GitHub server: resolves the operation by method and path template, then checks path and query
 * parameters and the JSON body against the operation's schemas (with Ajv, strict about unknown body
 * properties). Every request the GitHub adapter sends in the tests goes through it.
 */

type Json = Record<string, unknown>;
interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly spec: Json;
}

const require = createRequire(import.meta.url);
const SPEC_MODULE = "@octokit/openapi/generated/api.github.com.json";
const REF_PREFIX = "#/components/";
/** ajv-formats is CommonJS: its module.exports is the plugin. */
const addFormats = require("ajv-formats") as (ajv: Ajv) => Ajv;

let loaded: { spec: Json; operations: Operation[]; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (loaded) return loaded;
  const spec = require(SPEC_MODULE) as Json;
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const pattern = new RegExp(`^${source}$`);
    for (const [method, spec] of Object.entries(item)) {
      if (["get", "post", "patch", "put", "delete"].includes(method))
        operations.push({ method: method.toUpperCase(), template, pattern, names, spec: spec as Json });
    }
  }
  // Literal segments first, so /repos/{o}/{r}/check-runs/{id} never shadows a more specific template.
  operations.sort((a, b) => a.names.length - b.names.length);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ components: spec.components }, "github");
  loaded = { spec, operations, ajv };
  return loaded;
}

/** The operation a request path (without query) resolves to, and its path parameters. */
export function findOperation(
  method: string,
  path: string,
): { op: Operation; params: Record<string, string> } | undefined {
  for (const op of load().operations) {
    if (op.method !== method) continue;
    const match = op.pattern.exec(path);
    if (match)
      return {
        op,
        params: Object.fromEntries(op.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")])),
      };
  }
  return undefined;
}

/**
 * Every way a request departs from GitHub's description: unknown operation, bad path or query parameter,
 * unknown query parameter, body not matching the schema. Empty when the request is valid.
 */
export function checkRequest(method: string, url: URL, body: unknown): string[] {
  const found = findOperation(method, url.pathname);
  if (!found) return [`${method} ${url.pathname}: no such operation in GitHub's OpenAPI description`];
  const { op, params } = found;
  const where = `${method} ${op.template}`;
  const problems: string[] = [];
  const declared = parametersOf(op);
  for (const [name, value] of Object.entries(params)) {
    const param = declared.find((p) => p.in === "path" && p.name === name);
    problems.push(...checkValue(`${where} path ${name}`, param?.schema, value));
  }
  for (const [name, value] of url.searchParams) {
    const param = declared.find((p) => p.in === "query" && p.name === name);
    if (!param) problems.push(`${where}: unknown query parameter ${name}`);
    else problems.push(...checkValue(`${where} query ${name}`, param.schema, value));
  }
  const schema = bodySchema(op);
  if (schema === undefined) {
    if (body !== undefined && method !== "GET")
      problems.push(`${where}: sends a body the operation does not take`);
  } else {
    const validate = validatorFor(`${where} body`, schema);
    if (!validate(body ?? {}))
      problems.push(
        ...(validate.errors ?? []).map(
          (e) => `${where} body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
        ),
      );
    const required = (op.spec.requestBody as Json | undefined)?.required === true;
    if (required && body === undefined) problems.push(`${where}: body required`);
  }
  return problems;
}

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: Json;
}

function parametersOf(op: Operation): Parameter[] {
  const { spec } = load();
  return ((op.spec.parameters as Json[] | undefined) ?? []).map((p) => {
    const ref = p.$ref;
    if (typeof ref !== "string") return p as unknown as Parameter;
    const name = ref.slice(`${REF_PREFIX}parameters/`.length);
    return (spec.components as { parameters: Record<string, Parameter> }).parameters[name] as Parameter;
  });
}

/** Path and query values arrive as strings: integers and booleans are converted before checking. */
function checkValue(where: string, schema: Json | undefined, raw: string): string[] {
  if (!schema) return [`${where}: not declared`];
  const value =
    schema.type === "integer" && /^-?\d+$/.test(raw)
      ? Number(raw)
      : schema.type === "boolean"
        ? raw === "true"
        : raw;
  const validate = validatorFor(where, schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}=${raw}: ${e.message}`);
}

function bodySchema(op: Operation): Json | undefined {
  const content = (op.spec.requestBody as Json | undefined)?.content as
    | Record<string, { schema?: Json }>
    | undefined;
  return content?.["application/json"]?.schema;
}

function validatorFor(key: string, schema: Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = load().ajv.compile(strict(rewriteRefs(schema)) as Json);
    validators.set(key, validate);
  }
  return validate;
}

/** Points local `#/components/…` references at the registered components document. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) =>
      k === "$ref" && typeof v === "string" && v.startsWith(REF_PREFIX)
        ? [k, `github${v}`]
        : [k, rewriteRefs(v)],
    ),
  );
}

/**
 * Refuses properties a request-body object does not declare (GitHub ignores them silently, which would hide a
 * misspelt field). Only objects that list `properties` and say nothing about `additionalProperties`.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Json = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "anyOf" || k === "oneOf" || k === "allOf" ? v : strict(v),
    ]),
  );
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && !out.allOf)
    out.additionalProperties = false;
  return out;
}
