import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateJsonSchema } from './json-schema-check.js';

describe('validateJsonSchema', () => {
  const schema = {
    type: 'object',
    required: ['n', 'kind'],
    additionalProperties: false,
    properties: {
      n: { $ref: '#/$defs/count' },
      kind: { enum: ['a', 'b'] },
      v: { const: 1 },
      list: { type: 'array', items: { type: 'string' } },
      maybe: { oneOf: [{ type: 'null' }, { type: 'integer' }] },
    },
    $defs: { count: { type: 'integer', minimum: 0 } },
  };

  it('accepts a conforming value', () => {
    assert.deepEqual(validateJsonSchema(schema, { n: 3, kind: 'a', v: 1, list: ['x'], maybe: null }), []);
  });

  it('names each broken rule with its place', () => {
    const problems = validateJsonSchema(schema, { n: 1.5, kind: 'c', v: 2, list: [1], maybe: 'x', other: 0 });
    assert.deepEqual(problems, [
      '$.n: expected integer, got 1.5',
      '$.kind: "c" is not one of ["a","b"]',
      '$.v: expected 1',
      '$.list[0]: expected string, got 1',
      '$.maybe: matches 0 of the oneOf schemas, not exactly one',
      '  $.maybe: expected null, got "x"',
      '  $.maybe: expected integer, got "x"',
      "$: has 'other', which the schema does not allow",
    ]);
    assert.deepEqual(validateJsonSchema(schema, { kind: 'a', n: -1 }), ['$.n: -1 < 0']);
    assert.deepEqual(validateJsonSchema(schema, {}), ["$: lacks 'n'", "$: lacks 'kind'"]);
  });

  it('refuses a schema with a keyword it does not know, such as a misspelt one', () => {
    assert.throws(() => validateJsonSchema({ type: 'object', requried: ['x'] }, {}), /requried/);
  });
});
