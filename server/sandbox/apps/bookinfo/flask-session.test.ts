import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { createFlaskSessionCodec } from './flask-session.ts';

const NOW = Date.UTC(2026, 0, 1);

test('encodes base64url JSON, a timestamp and a signature that decode back', () => {
  const codec = createFlaskSessionCodec();
  const cookie = codec.encode({ user: 'jason' }, NOW);
  const [payload, stamp, signature] = cookie.split('.');
  assert.equal(Buffer.from(payload ?? '', 'base64url').toString(), '{"user":"jason"}');
  assert.equal(Buffer.from(stamp ?? '', 'base64url').readUInt32BE(), NOW / 1000);
  assert.equal(Buffer.from(signature ?? '', 'base64url').length, 20, 'HMAC-SHA1');
  assert.deepEqual(codec.decode(cookie, NOW), { user: 'jason' });
});

test('rejects tampered payloads, other keys and expired cookies', () => {
  const codec = createFlaskSessionCodec();
  const cookie = codec.encode({ user: 'jason' }, NOW);
  const forged = `${Buffer.from('{"user":"admin"}').toString('base64url')}.${cookie.split('.').slice(1).join('.')}`;
  assert.equal(codec.decode(forged, NOW), undefined);
  assert.equal(createFlaskSessionCodec(Buffer.from('other')).decode(cookie, NOW), undefined);
  assert.equal(codec.decode(cookie, NOW + 32 * 24 * 3600 * 1000), undefined);
  assert.equal(codec.decode('garbage', NOW), undefined);
});

test('matches the cookie Flask itself issues for productpage (secret key, salt, HMAC-SHA1)', () => {
  // Produced by Flask's SecureCookieSessionInterface with productpage.py's secret key at
  // 2026-01-01T00:00:00Z.
  const flask = 'eyJ1c2VyIjoiamFzb24ifQ.aVW5AA._tCZmrJudnYEEu7u9S4spJ2oF6c';
  const codec = createFlaskSessionCodec();
  assert.equal(codec.encode({ user: 'jason' }, NOW), flask);
  assert.deepEqual(codec.decode(flask, NOW + 1000), { user: 'jason' });
});
