export class SpdyProtocolError extends Error {
  readonly code = 'SPDY_PROTOCOL';
}

/** SPDY/3 control frame types (draft-mbelshe-httpbis-spdy-00 §2.6). */
export const SpdyFrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes used here. */
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 } as const;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

const VERSION = 3;
const HEADER_BYTES = 8;

/**
 * Splits a byte stream into SPDY/3.1 frames. Bytes may arrive in any chunking (a websocket
 * tunnel splits frames across messages), so incomplete frames wait for more input.
 */
export class SpdyFrameReader {
  #buffer: Buffer = Buffer.alloc(0);
  #maxFrameBytes: number;

  constructor(maxFrameBytes = 1024 * 1024) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  push(chunk: Buffer): SpdyFrame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.#buffer.length >= HEADER_BYTES) {
      const buffer = this.#buffer;
      const length = buffer.readUIntBE(5, 3);
      if (length > this.#maxFrameBytes) throw new SpdyProtocolError(`frame of ${length} bytes exceeds the ${this.#maxFrameBytes}-byte limit`);
      if (buffer.length < HEADER_BYTES + length) break;
      const flags = buffer[4] ?? 0;
      const body = Buffer.from(buffer.subarray(HEADER_BYTES, HEADER_BYTES + length));
      if (((buffer[0] ?? 0) & 0x80) !== 0) {
        const version = buffer.readUInt16BE(0) & 0x7fff;
        if (version !== VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: buffer.readUInt16BE(2), flags, payload: body });
      } else {
        frames.push({ kind: 'data', streamId: buffer.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      }
      this.#buffer = buffer.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(0x8000 | VERSION, 0);
  header.writeUInt16BE(type, 2);
  header[4] = flags;
  header.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([header, payload]);
}

export function encodeDataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header[4] = fin ? FLAG_FIN : 0;
  header.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([header, data]);
}

/** Four-byte big-endian words, the unit of every control frame body. */
export function words(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => buffer.writeUInt32BE(value >>> 0, index * 4));
  return buffer;
}
