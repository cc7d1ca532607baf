// The client half of a SPDY/3.1 connection for tests: header blocks are compressed with
// Node's own deflate stream (not this package's compressor), so both directions are checked
// against an independent zlib implementation.
import type { Duplex } from 'node:stream';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { encodeControlFrame, encodeDataFrame, FLAG_FIN, SpdyFrameReader, SpdyFrameType, words, type SpdyFrame } from './spdy-frame.ts';
import { decodeHeaderPairs, encodeHeaderPairs, SPDY_DICTIONARY } from './spdy-header-block.ts';

export class SpdyTestPeer {
  readonly frames: SpdyFrame[] = [];
  /** The HTTP response head preceding the frames (when the peer reads an upgrade answer). */
  head = '';
  closed = false;
  #socket: Duplex;
  #reader = new SpdyFrameReader();
  #pending = Buffer.alloc(0);
  #inHead: boolean;
  #deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  #deflated: Buffer[] = [];
  #inflateInput: Buffer[] = [];
  #inflatedBytes = 0;
  #waiters: Array<() => void> = [];

  constructor(socket: Duplex, options: { readsHttpHead: boolean }) {
    this.#socket = socket;
    this.#inHead = options.readsHttpHead;
    this.#deflate.on('data', (chunk: Buffer) => this.#deflated.push(chunk));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('end', () => {
      this.closed = true;
      this.#wake();
    });
  }

  async open(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    const block = await this.#compress(new Map(Object.entries(headers)));
    this.#socket.write(encodeControlFrame(SpdyFrameType.synStream, fin ? FLAG_FIN : 0, Buffer.concat([words(id, 0), Buffer.from([0, 0]), block])));
  }

  /** Stops reading (a slow client), so the server's writes back up. */
  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  /** Closes the connection from the client side. */
  close(): void {
    this.#socket.end();
  }

  data(id: number, data: string, fin = false): void {
    this.#socket.write(encodeDataFrame(id, Buffer.from(data), fin));
  }

  control(type: number, payload: Buffer): void {
    this.#socket.write(encodeControlFrame(type, 0, payload));
  }

  /** Resolves once `predicate` holds over the frames received so far. */
  async until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    // Polls as well: some conditions (a server-side effect) arrive without any frame.
    const tick = setInterval(() => this.#wake(), 10);
    try {
      const started = Date.now();
      while (!predicate()) {
        if (Date.now() - started >= timeoutMs) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.map((f) => (f.kind === 'data' ? { id: f.streamId, flags: f.flags, data: f.data.toString() } : { type: f.type, flags: f.flags })))}`);
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
    } finally {
      clearInterval(tick);
    }
  }

  /** Stream ids the server answered with SYN_REPLY, with the decoded reply headers. */
  readonly replies = new Map<number, Map<string, string>>();

  received(id: number): string {
    return Buffer.concat(this.frames.flatMap((f) => (f.kind === 'data' && f.streamId === id ? [f.data] : []))).toString('utf8');
  }

  ended(id: number): boolean {
    return this.frames.some((f) => f.kind === 'data' && f.streamId === id && (f.flags & FLAG_FIN) !== 0);
  }

  resetStatus(id: number): number | undefined {
    const frame = this.frames.find((f) => f.kind === 'control' && f.type === SpdyFrameType.rstStream && f.payload.readUInt32BE(0) === id);
    return frame?.kind === 'control' ? frame.payload.readUInt32BE(4) : undefined;
  }

  #compress(headers: Map<string, string>): Promise<Buffer> {
    return new Promise((resolve) => {
      this.#deflate.write(encodeHeaderPairs(headers));
      this.#deflate.flush(constants.Z_SYNC_FLUSH, () => setImmediate(() => resolve(Buffer.concat(this.#deflated.splice(0)))));
    });
  }

  #receive(chunk: Buffer): void {
    if (this.#inHead) {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      const end = this.#pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.head = this.#pending.subarray(0, end).toString('latin1');
      chunk = this.#pending.subarray(end + 4);
      this.#inHead = false;
      if (!this.head.startsWith('HTTP/1.1 101')) {
        this.head += `\r\n\r\n${chunk.toString('utf8')}`;
        this.#wake();
        return;
      }
    }
    for (const frame of this.#reader.push(chunk)) {
      this.frames.push(frame);
      if (frame.kind === 'control' && frame.type === SpdyFrameType.synReply) {
        this.#inflateInput.push(frame.payload.subarray(4));
        const output = inflateSync(Buffer.concat(this.#inflateInput), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
        this.replies.set(frame.payload.readUInt32BE(0), decodeHeaderPairs(output.subarray(this.#inflatedBytes)));
        this.#inflatedBytes = output.length;
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
