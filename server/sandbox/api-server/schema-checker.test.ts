import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinDefinitions } from './builtin-schemas.ts';
import { fromOpenApi } from './openapi-documents.ts';
import { checkSchema } from './schema-checker.ts';

const schema = fromOpenApi({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', minimum: 0, maximum: 10 },
        weight: { type: 'number', exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1 },
        step: { type: 'integer', multipleOf: 5 },
        name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 5 },
        email: { type: 'string', format: 'email' },
        address: { type: 'string', format: 'ipv4' },
        hosts: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 },
        port: { 'x-kubernetes-int-or-string': true },
        anything: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        optional: { type: 'string', nullable: true },
        strict: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
      },
    },
  },
});

const check = (spec: unknown): ReturnType<typeof checkSchema> => checkSchema(schema, { spec }, builtinDefinitions, { checkValues: true });
const messages = (spec: unknown): string[] => check(spec).causes.map((cause) => `${cause.field ?? ''}: ${cause.message}`);

describe('checkSchema value constraints (CRD validation wording)', () => {
  it('minimum and maximum, inclusive and exclusive, multipleOf', () => {
    assert.deepEqual(messages({ replicas: -1 }), ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0']);
    assert.deepEqual(messages({ replicas: 11 }), ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']);
    assert.deepEqual(messages({ weight: 0 }), ['spec.weight: Invalid value: 0: spec.weight in body should be greater than 0']);
    assert.deepEqual(messages({ weight: 1 }), ['spec.weight: Invalid value: 1: spec.weight in body should be less than 1']);
    assert.deepEqual(messages({ weight: 0.5, replicas: 10, step: 15 }), []);
    assert.deepEqual(messages({ step: 7 }), ['spec.step: Invalid value: 7: spec.step in body should be a multiple of 5']);
  });

  it('string length, pattern and format', () => {
    assert.deepEqual(messages({ name: 'a' }), ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']);
    assert.deepEqual(messages({ name: 'abcdef' }), ['spec.name: Too long: may not be more than 5 bytes']);
    assert.deepEqual(messages({ name: 'AB' }), ['spec.name: Invalid value: "AB": spec.name in body should match \'^[a-z]+$\'']);
    assert.deepEqual(messages({ email: 'nobody' }), ['spec.email: Invalid value: "nobody": spec.email in body must be of type email: "nobody"']);
    assert.deepEqual(messages({ address: '10.0.0.256' }), ['spec.address: Invalid value: "10.0.0.256": spec.address in body must be of type ipv4: "10.0.0.256"']);
    assert.deepEqual(messages({ email: 'a@b.io', address: '10.0.0.1', name: 'ok' }), []);
  });

  it('array and object sizes, unique items', () => {
    assert.deepEqual(messages({ hosts: [] }), ['spec.hosts: Invalid value: 0: spec.hosts in body should have at least 1 items']);
    assert.deepEqual(messages({ hosts: ['a', 'b', 'c'] }), ['spec.hosts: Too many: 3: must have at most 2 items']);
    assert.deepEqual(messages({ hosts: ['a', 'a'] }), ['spec.hosts: Invalid value: "": spec.hosts in body shouldn\'t contain duplicates']);
    assert.deepEqual(messages({ labels: { a: 'x', b: 'y' } }), ['spec.labels: Too many: 2: must have at most 1 items']);
    assert.deepEqual(check({ hosts: ['a', 'a'] }).causes[0]?.reason, 'FieldValueInvalid');
    assert.deepEqual(check({ hosts: ['a', 'b', 'c'] }).causes[0]?.reason, 'FieldValueTooMany');
  });

  it('int-or-string, preserved unknown fields, nullable, and pruning', () => {
    assert.deepEqual(messages({ port: 8080 }), []);
    assert.deepEqual(messages({ port: 'http' }), []);
    assert.deepEqual(messages({ port: true }), ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: true']);
    assert.deepEqual(check({ anything: { deep: { x: 1 } } }).unknownFields, []);
    assert.deepEqual(check({ optional: null }).nullFields, []);
    assert.deepEqual(check({ name: null }).nullFields, ['spec.name']);
    assert.deepEqual(check({ strict: { a: 'x', b: 'y' }, extra: 1 }).unknownFields, ['spec.strict.b', 'spec.extra']);
  });
});
