import { constants, inflateSync } from 'node:zlib';

export class SpdyHeaderError extends Error {
  readonly code = 'SPDY_HEADER_BLOCK';
}

/**
 * The SPDY/3 header dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1): 1423 bytes of
 * length-prefixed header names and values, then a run of common value fragments.
 */
export const SPDY_DICTIONARY: Buffer = Buffer.from(
  'AAAAB29wdGlvbnMAAAAEaGVhZAAAAARwb3N0AAAAA3B1dAAAAAZkZWxldGUAAAAFdHJhY2UAAAAGYWNjZXB0AAAADmFjY2VwdC1jaGFyc2V0AAAAD2FjY2Vw' +
  'dC1lbmNvZGluZwAAAA9hY2NlcHQtbGFuZ3VhZ2UAAAANYWNjZXB0LXJhbmdlcwAAAANhZ2UAAAAFYWxsb3cAAAANYXV0aG9yaXphdGlvbgAAAA1jYWNoZS1j' +
  'b250cm9sAAAACmNvbm5lY3Rpb24AAAAMY29udGVudC1iYXNlAAAAEGNvbnRlbnQtZW5jb2RpbmcAAAAQY29udGVudC1sYW5ndWFnZQAAAA5jb250ZW50LWxl' +
  'bmd0aAAAABBjb250ZW50LWxvY2F0aW9uAAAAC2NvbnRlbnQtbWQ1AAAADWNvbnRlbnQtcmFuZ2UAAAAMY29udGVudC10eXBlAAAABGRhdGUAAAAEZXRhZwAA' +
  'AAZleHBlY3QAAAAHZXhwaXJlcwAAAARmcm9tAAAABGhvc3QAAAAIaWYtbWF0Y2gAAAARaWYtbW9kaWZpZWQtc2luY2UAAAANaWYtbm9uZS1tYXRjaAAAAAhp' +
  'Zi1yYW5nZQAAABNpZi11bm1vZGlmaWVkLXNpbmNlAAAADWxhc3QtbW9kaWZpZWQAAAAIbG9jYXRpb24AAAAMbWF4LWZvcndhcmRzAAAABnByYWdtYQAAABJw' +
  'cm94eS1hdXRoZW50aWNhdGUAAAATcHJveHktYXV0aG9yaXphdGlvbgAAAAVyYW5nZQAAAAdyZWZlcmVyAAAAC3JldHJ5LWFmdGVyAAAABnNlcnZlcgAAAAJ0' +
  'ZQAAAAd0cmFpbGVyAAAAEXRyYW5zZmVyLWVuY29kaW5nAAAAB3VwZ3JhZGUAAAAKdXNlci1hZ2VudAAAAAR2YXJ5AAAAA3ZpYQAAAAd3YXJuaW5nAAAAEHd3' +
  'dy1hdXRoZW50aWNhdGUAAAAGbWV0aG9kAAAAA2dldAAAAAZzdGF0dXMAAAAGMjAwIE9LAAAAB3ZlcnNpb24AAAAISFRUUC8xLjEAAAADdXJsAAAABnB1Ymxp' +
  'YwAAAApzZXQtY29va2llAAAACmtlZXAtYWxpdmUAAAAGb3JpZ2luMTAwMTAxMjAxMjAyMjA1MjA2MzAwMzAyMzAzMzA0MzA1MzA2MzA3NDAyNDA1NDA2NDA3' +
  'NDA4NDA5NDEwNDExNDEyNDEzNDE0NDE1NDE2NDE3NTAyNTA0NTA1MjAzIE5vbi1BdXRob3JpdGF0aXZlIEluZm9ybWF0aW9uMjA0IE5vIENvbnRlbnQzMDEg' +
  'TW92ZWQgUGVybWFuZW50bHk0MDAgQmFkIFJlcXVlc3Q0MDEgVW5hdXRob3JpemVkNDAzIEZvcmJpZGRlbjQwNCBOb3QgRm91bmQ1MDAgSW50ZXJuYWwgU2Vy' +
  'dmVyIEVycm9yNTAxIE5vdCBJbXBsZW1lbnRlZDUwMyBTZXJ2aWNlIFVuYXZhaWxhYmxlSmFuIEZlYiBNYXIgQXByIE1heSBKdW4gSnVsIEF1ZyBTZXB0IE9j' +
  'dCBOb3YgRGVjIDAwOjAwOjAwIE1vbiwgVHVlLCBXZWQsIFRodSwgRnJpLCBTYXQsIFN1biwgR01UY2h1bmtlZCx0ZXh0L2h0bWwsaW1hZ2UvcG5nLGltYWdl' +
  'L2pwZyxpbWFnZS9naWYsYXBwbGljYXRpb24veG1sLGFwcGxpY2F0aW9uL3hodG1sK3htbCx0ZXh0L3BsYWluLHRleHQvamF2YXNjcmlwdCxwdWJsaWNwcml2' +
  'YXRlbWF4LWFnZT1nemlwLGRlZmxhdGUsc2RjaGNoYXJzZXQ9dXRmLThjaGFyc2V0PWlzby04ODU5LTEsdXRmLSwqLGVucT0wLg==',
  'base64',
);

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Encodes name/value pairs as an uncompressed SPDY/3 header block (32-bit lengths). */
export function encodeHeaderPairs(headers: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(headers.size);
  parts.push(count);
  for (const [name, value] of headers) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed header block; repeated values (NUL-separated) stay joined by NUL. */
export function decodeHeaderPairs(block: Buffer, maxPairs = 256): Map<string, string> {
  const headers = new Map<string, string>();
  if (block.length < 4) throw new SpdyHeaderError('truncated header block');
  const count = block.readUInt32BE(0);
  if (count > maxPairs) throw new SpdyHeaderError(`too many headers (${count})`);
  let offset = 4;
  const next = (): string => {
    if (offset + 4 > block.length) throw new SpdyHeaderError('truncated header block');
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new SpdyHeaderError('truncated header block');
    const text = block.subarray(offset, offset + length).toString('utf8');
    offset += length;
    return text;
  };
  for (let i = 0; i < count; i++) {
    const name = next();
    headers.set(name.toLowerCase(), next());
  }
  return headers;
}

/**
 * Compresses outgoing header blocks as one zlib stream per connection (the peer keeps one
 * inflate context). Every block is written as a stored (uncompressed) deflate block: always
 * byte-aligned and valid for any inflater, so no streaming deflate state is needed, and header
 * blocks in this protocol are a few dozen bytes where compression gains nothing.
 */
export class SpdyHeaderCompressor {
  #started = false;

  compress(headers: ReadonlyMap<string, string>): Buffer {
    const raw = encodeHeaderPairs(headers);
    const parts: Buffer[] = [];
    if (!this.#started) {
      this.#started = true;
      // CMF 0x78 (deflate, 32 KiB window), FLG 0xBB (FDICT set, check bits), then DICTID.
      const header = Buffer.from([0x78, 0xbb, 0, 0, 0, 0]);
      header.writeUInt32BE(adler32(SPDY_DICTIONARY), 2);
      parts.push(header);
    }
    let offset = 0;
    do {
      const chunk = raw.subarray(offset, offset + 0xffff);
      const block = Buffer.alloc(5);
      block[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), padded to the byte boundary.
      block.writeUInt16LE(chunk.length, 1);
      block.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(block, chunk);
      offset += chunk.length;
    } while (offset < raw.length);
    // The sync-flush marker, an empty stored block: inflaters (Go's among them) hand out a
    // block's bytes only when the next block starts, so every header block must end in one.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * Inflates incoming header blocks, which share one zlib stream per connection. Node offers no
 * public synchronous streaming inflate, so the stream so far is re-inflated with a sync flush
 * and the new output taken from the end; header bytes are tiny (tens of bytes per stream) and
 * the total is capped, so this stays cheap.
 */
export class SpdyHeaderDecompressor {
  #input: Buffer[] = [];
  #inputBytes = 0;
  #outputBytes = 0;
  #maxBytes: number;

  constructor(maxBytes = 1024 * 1024) {
    this.#maxBytes = maxBytes;
  }

  decompress(block: Buffer): Map<string, string> {
    this.#inputBytes += block.length;
    if (this.#inputBytes > this.#maxBytes) throw new SpdyHeaderError('header compression stream exceeds its limit');
    this.#input.push(block);
    let output: Buffer;
    try {
      output = inflateSync(Buffer.concat(this.#input), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new SpdyHeaderError(`cannot inflate header block: ${error instanceof Error ? error.message : String(error)}`);
    }
    const fresh = output.subarray(this.#outputBytes);
    this.#outputBytes = output.length;
    return decodeHeaderPairs(fresh);
  }
}
