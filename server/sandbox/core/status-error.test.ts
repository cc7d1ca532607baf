import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StatusError } from './status-error.ts';

it('words errors like the real API server, qualifying group resources', () => {
  assert.deepEqual(StatusError.notFound({ group: '', resource: 'pods' }, 'nope').toStatus(), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404,
  });
  const exists = StatusError.alreadyExists({ group: 'apps', resource: 'deployments' }, 'web');
  assert.equal(exists.message, 'deployments.apps "web" already exists');
  assert.deepEqual(exists.details, { name: 'web', group: 'apps', kind: 'deployments' });
  assert.equal(StatusError.modified({ group: '', resource: 'pods' }, 'x').message, 'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again');
  const invalid = StatusError.invalid('Pod', '', 'x', [
    { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
    { reason: 'FieldValueInvalid', field: 'metadata.name', message: 'Invalid value: "X": bad' },
  ]);
  assert.equal(invalid.code, 422);
  assert.equal(invalid.message, 'Pod "x" is invalid: [spec.containers: Required value, metadata.name: Invalid value: "X": bad]');
});
