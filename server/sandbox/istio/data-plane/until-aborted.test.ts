import assert from 'node:assert/strict';
import { test } from 'node:test';
import { untilAborted } from './until-aborted.ts';

test('resolves with the work, or rejects with an AbortError as soon as the signal aborts', async () => {
  assert.equal(await untilAborted(Promise.resolve(7), new AbortController().signal), 7);
  const controller = new AbortController();
  const pending = untilAborted(new Promise<number>(() => undefined), controller.signal);
  controller.abort();
  await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
  await assert.rejects(untilAborted(Promise.resolve(1), AbortSignal.abort()), { name: 'AbortError' });
  await assert.rejects(untilAborted(Promise.reject(new Error('boom')), new AbortController().signal), { message: 'boom' });
});
