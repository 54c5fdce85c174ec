// A small JSON Schema (2020-12) validator for the keywords our shipped schemas use, strict about
// the rest: a keyword it does not know is an error, so a typo in a schema cannot pass unnoticed
// (what ajv's strict mode would catch, without a dependency).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [keyword: string]: Json };

const KNOWN_KEYWORDS = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description',
  'type', 'const', 'enum', 'minimum', 'properties', 'required', 'additionalProperties', 'items', 'oneOf',
]);

/** The paths and reasons where `value` breaks `schema` (empty when it conforms). Throws on an unknown keyword. */
export function validateJsonSchema(schema: Schema, value: unknown): string[] {
  const problems: string[] = [];
  check(schema, schema, value as Json, '$', problems);
  return problems;
}

function check(root: Schema, schema: Schema, value: Json, at: string, problems: string[]): void {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) throw new Error(`schema keyword '${keyword}' at ${at} is not supported (a typo?)`);
  }
  if (typeof schema['$ref'] === 'string') check(root, resolveRef(root, schema['$ref']), value, at, problems);
  if (schema['type'] !== undefined) {
    const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type']];
    if (!types.some((t) => hasType(value, t as string))) problems.push(`${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) problems.push(`${at}: expected ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
  }
  if (typeof schema['minimum'] === 'number' && typeof value === 'number' && value < schema['minimum']) problems.push(`${at}: ${value} < ${schema['minimum']}`);
  if (Array.isArray(schema['oneOf'])) {
    const outcomes = schema['oneOf'].map((option) => {
      const inner: string[] = [];
      check(root, option as Schema, value, at, inner);
      return inner;
    });
    const matching = outcomes.filter((inner) => inner.length === 0).length;
    if (matching !== 1) problems.push(`${at}: matches ${matching} of the oneOf schemas, not exactly one`);
    // Say why none matched: each option's own complaints.
    if (matching === 0) for (const inner of outcomes) problems.push(...inner.map((p) => `  ${p}`));
  }
  if (isObject(value)) checkObject(root, schema, value, at, problems);
  if (Array.isArray(value) && schema['items'] !== undefined) {
    value.forEach((item, index) => check(root, schema['items'] as Schema, item, `${at}[${index}]`, problems));
  }
}

function checkObject(root: Schema, schema: Schema, value: { [key: string]: Json }, at: string, problems: string[]): void {
  const properties = (schema['properties'] ?? {}) as { [key: string]: Schema };
  for (const name of (schema['required'] ?? []) as string[]) if (!(name in value)) problems.push(`${at}: lacks '${name}'`);
  for (const [name, member] of Object.entries(value)) {
    if (properties[name] !== undefined) check(root, properties[name], member, `${at}.${name}`, problems);
    else if (schema['additionalProperties'] === false) problems.push(`${at}: has '${name}', which the schema does not allow`);
    else if (isObject(schema['additionalProperties'] ?? null)) check(root, schema['additionalProperties'] as Schema, member, `${at}.${name}`, problems);
  }
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  let node: Json = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node) || node[part] === undefined) throw new Error(`unresolved reference ${ref}`);
    node = node[part];
  }
  return node as Schema;
}

function hasType(value: Json, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'string': return typeof value === 'string';
    case 'array': return Array.isArray(value);
    case 'object': return isObject(value);
    default: throw new Error(`unknown type ${type}`);
  }
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
