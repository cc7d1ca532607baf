// productpage keeps the signed-in user in Flask's default session: a cookie named `session`
// holding itsdangerous-signed JSON. Reproduced exactly (payload, timestamp, HMAC-SHA1 with the
// "hmac" key derivation and the "cookie-session" salt) so cookies from a real productpage and
// from this one are interchangeable.

import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';

/** productpage.py's `app.secret_key`. */
export const PRODUCTPAGE_SECRET_KEY = Buffer.from([
  0x5f, 0x35, 0x23, 0x79, 0x32, 0x4c, 0x22, 0x46, 0x34, 0x51, 0x38, 0x7a, 0x0a, 0xec, 0x5d, 0x2f,
]);

/** Flask's PERMANENT_SESSION_LIFETIME default (31 days): older cookies are ignored. */
const MAX_AGE_SECONDS = 31 * 24 * 60 * 60;

export type SessionData = Record<string, unknown>;

export interface FlaskSessionCodec {
  /** The cookie value for `data`, stamped at `nowMs`. */
  encode(data: SessionData, nowMs: number): string;
  /** The session in a cookie value, or undefined when it is malformed, forged or expired. */
  decode(cookieValue: string, nowMs: number): SessionData | undefined;
}

export function createFlaskSessionCodec(secretKey: Buffer = PRODUCTPAGE_SECRET_KEY): FlaskSessionCodec {
  const derivedKey = createHmac('sha1', secretKey).update('cookie-session').digest();
  const sign = (value: string): string => createHmac('sha1', derivedKey).update(value).digest('base64url');
  return {
    encode(data, nowMs) {
      const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
      const value = `${payload}.${timestampBytes(Math.floor(nowMs / 1000)).toString('base64url')}`;
      return `${value}.${sign(value)}`;
    },
    decode(cookieValue, nowMs) {
      const lastDot = cookieValue.lastIndexOf('.');
      if (lastDot <= 0) return undefined;
      const value = cookieValue.slice(0, lastDot);
      const given = Buffer.from(cookieValue.slice(lastDot + 1), 'base64url');
      const expected = Buffer.from(sign(value), 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const tsDot = value.lastIndexOf('.');
      if (tsDot <= 0) return undefined;
      const stamped = Buffer.from(value.slice(tsDot + 1), 'base64url').reduce((acc, byte) => acc * 256 + byte, 0);
      if (Math.floor(nowMs / 1000) - stamped > MAX_AGE_SECONDS) return undefined;
      try {
        let payload = value.slice(0, tsDot);
        // itsdangerous marks zlib-compressed payloads with a leading dot.
        const compressed = payload.startsWith('.');
        if (compressed) payload = payload.slice(1);
        const raw = Buffer.from(payload, 'base64url');
        const parsed: unknown = JSON.parse((compressed ? inflateSync(raw) : raw).toString('utf8'));
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as SessionData) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function timestampBytes(seconds: number): Buffer {
  const bytes: number[] = [];
  let rest = seconds;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Buffer.from(bytes);
}
