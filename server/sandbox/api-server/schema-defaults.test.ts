import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinDefinitions } from './builtin-schemas.ts';
import { fromOpenApi } from './openapi-documents.ts';
import { applySchemaDefaults } from './schema-defaults.ts';

const schema = fromOpenApi({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        optional: { type: 'string', nullable: true, default: 'x' },
        policy: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'Strict' } } },
        backends: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', default: 'Service' }, name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
      },
    },
  },
});

describe('applySchemaDefaults', () => {
  it('fills missing fields, inside defaulted objects, array items and map values', () => {
    const object = { spec: { backends: [{ name: 'a' }, { name: 'b', kind: 'ServiceImport' }], labels: { x: {} } } };
    applySchemaDefaults(schema, object, builtinDefinitions);
    assert.deepEqual(object, {
      spec: {
        replicas: 1,
        optional: 'x',
        policy: { mode: 'Strict' },
        backends: [{ name: 'a', kind: 'Service' }, { name: 'b', kind: 'ServiceImport' }],
        labels: { x: { weight: 1 } },
      },
    });
  });

  it('replaces null in non-nullable fields, keeps it where nullable, and leaves set values alone', () => {
    const object = { spec: { replicas: null, optional: null, policy: { mode: 'Permissive' } } };
    applySchemaDefaults(schema, object, builtinDefinitions);
    assert.deepEqual(object.spec, { replicas: 1, optional: null, policy: { mode: 'Permissive' } });
  });
});
