// Hostile HTTP requests for every operation of an OpenAPI document: path parameters (non-UUIDs, traversal,
// NUL, a real tenant now and then so requests get past membership), query parameters (wrong types, NUL,
// repeats, unknown and `__proto__` keys) and bodies (the operation's own schema with fields replaced by
// hostile values, arrays for objects, deep nesting, pollution keys, text that is no JSON, wrong content types).
import fc from 'fast-check';
import { hostileDepth, hostileValue, nastyString, nestedJsonText, nonObjectJsonText, notJsonText, pollutionKeys, withPollutionKeys } from './hostile-input.js';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzRequest {
  method: string;
  /** The path as sent (already percent-encoded). */
  path: string;
  query: string;
  contentType?: string;
  body?: string;
}

export interface FuzzOperation {
  route: string;
  request: fc.Arbitrary<FuzzRequest>;
}

/** Every operation of the document with an arbitrary of hostile requests for it. */
export function fuzzOperations(document: OpenApiDocument, knownIds: { tenantIds: string[] }): FuzzOperation[] {
  const resolve = (schema: Schema | undefined, seen = 0): Schema => {
    if (!schema) return {};
    if (schema.$ref && seen < 5) return resolve(document.components?.schemas?.[schema.$ref.split('/').pop()!], seen + 1);
    const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (composed?.length) return resolve(composed[0], seen + 1);
    return schema;
  };
  const plausible = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'string':
        if (schema.format === 'uuid') return fc.uuid();
        if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
        return fc.string({ maxLength: 24 });
      case 'integer':
        return fc.integer({ min: -2, max: 600 });
      case 'number':
        return fc.double({ noNaN: true, min: -10, max: 1000 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 2 ? fc.constant([]) : fc.array(plausible(schema.items, depth + 1), { maxLength: 3 });
      default:
        if (schema.properties && depth <= 2) return objectOf(schema, depth + 1);
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 });
    }
  };
  // The schema's own fields, each left out, plausible or hostile, sometimes with a field it does not have.
  const objectOf = (schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const fields = Object.entries(schema.properties ?? {});
    return fc
      .tuple(
        fc.tuple(...fields.map(([, field]) => fc.option(fc.oneof({ weight: 2, arbitrary: plausible(field, depth) }, { weight: 1, arbitrary: hostileValue }), { nil: undefined }))),
        fc.option(fc.tuple(nastyString, hostileValue), { nil: undefined, freq: 4 }),
      )
      .map(([values, extra]) => {
        const object: Record<string, unknown> = {};
        fields.forEach(([name], index) => {
          if (values[index] !== undefined) object[name] = values[index];
        });
        if (extra) object[extra[0]] = extra[1];
        return object;
      });
  };

  const operations: FuzzOperation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const pathParameters = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const path = fc
        .tuple(...pathParameters.map((name) => pathValue(name === 'tenantId' ? knownIds.tenantIds : [])))
        .map((values) => pathParameters.reduce((path, name, index) => path.replace(`{${name}}`, values[index]), template));
      const queryParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
      const query = fc
        .tuple(
          fc.tuple(...queryParameters.map((parameter) => fc.option(fc.oneof(plausible(parameter.schema).map(String), nastyString), { nil: undefined }))),
          fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__[polluted]', 'constructor[prototype][x]', 'limit', 'cursor'), nastyString), nastyString), { maxLength: 2 }),
        )
        .map(([values, extra]) => {
          const entries: Array<[string, string]> = [];
          queryParameters.forEach((parameter, index) => {
            if (values[index] !== undefined) entries.push([parameter.name, values[index]]);
          });
          return new URLSearchParams([...entries, ...extra]).toString();
        });
      const content = operation.requestBody?.content ?? {};
      const jsonSchema = content['application/json']?.schema;
      const body = method === 'get' ? fc.constant({}) : bodyOf(jsonSchema ? objectOf(resolve(jsonSchema), 0) : fc.constant({}), 'text/csv' in content);
      operations.push({
        route: `${method} ${template}`,
        request: fc.tuple(path, query, body).map(([path, query, body]) => ({ method: method.toUpperCase(), path, query, ...body })),
      });
    }
  }
  return operations;
}

/** A path parameter: a real id now and then, a random UUID, or something no route should take (encoded or raw). */
function pathValue(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: known.length > 0 ? 4 : 0, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('') },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: nastyString.map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, 'x').slice(0, 2000)) || 'x') },
    { weight: 1, arbitrary: fc.constantFrom('..', '..%2f..%2fetc%2fpasswd', '%2e%2e', '%00', '%ff', '%', 'a%00b', '%c0%ae%c0%ae', '.%2e', '%5c..%5c') },
  );
}

/** A request body: mostly the operation's own object with hostile fields, else every other kind of bad body. */
function bodyOf(object: fc.Arbitrary<Record<string, unknown>>, takesCsv: boolean): fc.Arbitrary<{ contentType?: string; body?: string }> {
  const json = (text: fc.Arbitrary<string>) => text.map((body) => ({ contentType: 'application/json', body }));
  return fc.oneof(
    { weight: 6, arbitrary: json(object.map((value) => JSON.stringify(value))) },
    { weight: 1, arbitrary: json(fc.tuple(object, pollutionKeys).map(([value, keys]) => withPollutionKeys(JSON.stringify(value), keys))) },
    { weight: 1, arbitrary: json(fc.tuple(hostileDepth, fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nestedJsonText(depth, kind))) },
    { weight: 1, arbitrary: json(object.map((value) => `[${JSON.stringify(value)}]`)) },
    { weight: 1, arbitrary: json(nonObjectJsonText) },
    { weight: 1, arbitrary: json(notJsonText) },
    { weight: 1, arbitrary: json(fc.integer({ min: 200_000, max: 400_000 }).map((length) => JSON.stringify({ name: 'x'.repeat(length) }))) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: takesCsv ? 3 : 1,
      arbitrary: fc
        .tuple(fc.constantFrom('text/csv', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=utf-16'), fc.array(nastyString, { maxLength: 4 }))
        .map(([contentType, cells]) => ({ contentType, body: `displayName,directoryId\n${cells.join(',')}\n` })),
    },
  );
}
