import type { Duplex } from 'node:stream';
import { encodeControlFrame, encodeDataFrame, FLAG_FIN, RstStatus, SpdyFrameReader, SpdyFrameType, SpdyProtocolError, words, type SpdyFrame } from './spdy-frame.ts';
import { SpdyHeaderCompressor, SpdyHeaderDecompressor } from './spdy-header-block.ts';
import type { WebSocketConnection } from './websocket-connection.ts';

/** Where SPDY bytes travel: a raw upgraded socket, or binary messages of a websocket. */
export interface SpdyTransport {
  write(data: Buffer): void;
  close(): void;
  onData(listener: (chunk: Buffer) => void): void;
  onClose(listener: () => void): void;
  /** The underlying socket holds more than its high-water mark: writers should wait. */
  needsDrain(): boolean;
  onceDrain(listener: () => void): void;
}

export function socketTransport(socket: Duplex, head: Buffer): SpdyTransport {
  let closed = false;
  // Upgraded sockets of Node's HTTP server allow half-open: answer the client's FIN with ours.
  socket.on('end', () => socket.end());
  return {
    write: (data) => {
      if (!closed && !socket.destroyed) socket.write(data);
    },
    close: () => {
      closed = true;
      socket.end();
    },
    onData: (listener) => {
      socket.on('data', listener);
      if (head.length > 0) queueMicrotask(() => listener(head));
    },
    onClose: (listener) => {
      socket.on('close', listener);
      socket.on('error', listener);
    },
    needsDrain: () => socket.writableNeedDrain,
    onceDrain: (listener) => socket.once('drain', listener),
  };
}

/** `socket` is the one the websocket runs on: its buffer tells when to wait. */
export function websocketTransport(connection: WebSocketConnection, socket: Duplex): SpdyTransport {
  return {
    write: (data) => connection.send(data),
    close: () => connection.close(1000),
    onData: (listener) => connection.onMessage(listener),
    onClose: (listener) => connection.onClose(listener),
    needsDrain: () => socket.writableNeedDrain,
    onceDrain: (listener) => socket.once('drain', listener),
  };
}

/** Largest DATA frame written; the 24-bit length allows more, but small frames interleave streams fairly. */
const MAX_DATA_FRAME = 32 * 1024;

/** One stream opened by the client (SYN_STREAM), seen from the server. */
export class SpdyStream {
  readonly id: number;
  readonly headers: ReadonlyMap<string, string>;
  #session: SpdySession;
  #replied = false;
  #localEnded = false;
  #remoteEnded = false;
  #reset = false;
  #onData: ((data: Buffer) => void) | undefined;
  /** Data that arrived before anyone listened (a handler still dialling its upstream). */
  #backlog: Buffer[] = [];
  #onEnd: () => void = () => {};
  #onReset: () => void = () => {};

  constructor(session: SpdySession, id: number, headers: ReadonlyMap<string, string>) {
    this.#session = session;
    this.id = id;
    this.headers = headers;
  }

  get remoteEnded(): boolean {
    return this.#remoteEnded;
  }

  get closed(): boolean {
    return this.#reset || (this.#localEnded && this.#remoteEnded);
  }

  /** Accepts the stream (SYN_REPLY); the client's stream creation waits for it. */
  reply(headers: ReadonlyMap<string, string> = new Map()): void {
    if (this.#replied || this.#reset) return;
    this.#replied = true;
    this.#session.sendReply(this.id, headers);
  }

  /** Sends DATA; false when the connection is backed up (wait for `onceDrain`). */
  write(data: string | Uint8Array): boolean {
    if (this.#localEnded || this.#reset) return true;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    for (let offset = 0; offset < bytes.length; offset += MAX_DATA_FRAME) {
      this.#session.sendFrame(encodeDataFrame(this.id, bytes.subarray(offset, offset + MAX_DATA_FRAME), false));
    }
    return !this.#session.congested;
  }

  /** Calls `listener` once the connection has room again. */
  onceDrain(listener: () => void): void {
    this.#session.onceDrain(listener);
  }

  /** Half-closes the server side (an empty DATA frame with FIN). */
  end(): void {
    if (this.#localEnded || this.#reset) return;
    this.#localEnded = true;
    this.#session.sendFrame(encodeDataFrame(this.id, Buffer.alloc(0), true));
    this.#session.forgetIfClosed(this);
  }

  reset(status: number = RstStatus.cancel): void {
    if (this.#reset) return;
    this.#session.sendFrame(encodeControlFrame(SpdyFrameType.rstStream, 0, words(this.id, status)));
    this.#resetByPeer();
  }

  onData(listener: (data: Buffer) => void): void {
    this.#onData = listener;
    for (const data of this.#backlog.splice(0)) listener(data);
  }

  /** The client half-closed its side (FIN). */
  onEnd(listener: () => void): void {
    this.#onEnd = listener;
    if (this.#remoteEnded && !this.#reset) queueMicrotask(listener);
  }

  /** The stream was reset, by either side, or the session went away. */
  onReset(listener: () => void): void {
    this.#onReset = listener;
  }

  receive(data: Buffer, fin: boolean): void {
    if (this.#reset) return;
    if (this.#remoteEnded) {
      this.reset(RstStatus.protocolError);
      return;
    }
    if (data.length > 0) {
      if (this.#onData === undefined) this.#backlog.push(data);
      else this.#onData(data);
    }
    if (fin) this.remoteEnd();
  }

  remoteEnd(): void {
    if (this.#remoteEnded) return;
    this.#remoteEnded = true;
    this.#onEnd();
    this.#session.forgetIfClosed(this);
  }

  #resetByPeer(): void {
    this.#reset = true;
    this.#session.forgetIfClosed(this);
    this.#onReset();
  }

  /** Called by the session for RST_STREAM from the client and when the connection ends. */
  abort(): void {
    if (!this.#reset) this.#resetByPeer();
  }
}

export interface SpdySessionOptions {
  /** A new client stream; call `stream.reply()` to accept it or `stream.reset()` to refuse. */
  onStream(stream: SpdyStream): void;
  /** Concurrent streams before new ones are refused. */
  maxStreams?: number;
  maxFrameBytes?: number;
}

/** The server side of one SPDY/3.1 connection, as kubectl's spdystream client expects it. */
export class SpdySession {
  #transport: SpdyTransport;
  #reader: SpdyFrameReader;
  #compressor = new SpdyHeaderCompressor();
  #decompressor = new SpdyHeaderDecompressor();
  #streams = new Map<number, SpdyStream>();
  #lastStreamId = 0;
  #closed = false;
  #options: SpdySessionOptions;
  #onClose: Array<() => void> = [];

  constructor(transport: SpdyTransport, options: SpdySessionOptions) {
    this.#transport = transport;
    this.#options = options;
    this.#reader = new SpdyFrameReader(options.maxFrameBytes);
    transport.onData((chunk) => this.#receive(chunk));
    transport.onClose(() => this.#finish());
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    this.#onClose.push(listener);
  }

  get congested(): boolean {
    return !this.#closed && this.#transport.needsDrain();
  }

  /** Once the transport drains, or at once when it is not backed up (or gone). */
  onceDrain(listener: () => void): void {
    if (this.congested) this.#transport.onceDrain(listener);
    else queueMicrotask(listener);
  }

  sendFrame(frame: Buffer): void {
    if (!this.#closed) this.#transport.write(frame);
  }

  sendReply(streamId: number, headers: ReadonlyMap<string, string>): void {
    this.sendFrame(encodeControlFrame(SpdyFrameType.synReply, 0, Buffer.concat([words(streamId), this.#compressor.compress(headers)])));
  }

  forgetIfClosed(stream: SpdyStream): void {
    if (stream.closed && this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
  }

  /**
   * Ends the connection; open streams are aborted. With a status (a protocol error) a GOAWAY
   * goes first; a finished exchange just closes, as the kubelet does.
   */
  close(status?: number): void {
    if (this.#closed) return;
    if (status !== undefined) this.sendFrame(encodeControlFrame(SpdyFrameType.goAway, 0, words(this.#lastStreamId, status)));
    this.#transport.close();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.abort();
    for (const listener of this.#onClose) listener();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      for (const frame of this.#reader.push(chunk)) {
        this.#handle(frame);
        if (this.#closed) return;
      }
    } catch {
      // Malformed framing or header compression leaves the connection unusable.
      this.close(1);
    }
  }

  #handle(frame: SpdyFrame): void {
    if (frame.kind === 'data') {
      const stream = this.#streams.get(frame.streamId);
      if (stream === undefined) this.sendFrame(encodeControlFrame(SpdyFrameType.rstStream, 0, words(frame.streamId, RstStatus.invalidStream)));
      else stream.receive(frame.data, (frame.flags & FLAG_FIN) !== 0);
      return;
    }
    const payload = frame.payload;
    switch (frame.type) {
      case SpdyFrameType.synStream: {
        if (payload.length < 10) throw new SpdyProtocolError('short SYN_STREAM');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        // Header blocks share one compression context: inflate even a refused stream's block.
        const headers = this.#decompressor.decompress(payload.subarray(10));
        if (id % 2 === 0 || id <= this.#lastStreamId) throw new SpdyProtocolError(`invalid client stream id ${id}`);
        this.#lastStreamId = id;
        const stream = new SpdyStream(this, id, headers);
        if (this.#streams.size >= (this.#options.maxStreams ?? 1000)) {
          stream.reset(RstStatus.refusedStream);
          return;
        }
        this.#streams.set(id, stream);
        this.#options.onStream(stream);
        if ((frame.flags & FLAG_FIN) !== 0) stream.remoteEnd();
        return;
      }
      case SpdyFrameType.rstStream: {
        if (payload.length < 8) throw new SpdyProtocolError('short RST_STREAM');
        this.#streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.abort();
        return;
      }
      case SpdyFrameType.ping:
        // Client pings carry odd ids; echoing the frame is the answer.
        this.sendFrame(encodeControlFrame(SpdyFrameType.ping, 0, payload));
        return;
      case SpdyFrameType.goAway:
        this.#transport.close();
        this.#finish();
        return;
      case SpdyFrameType.headers:
        if (payload.length < 4) throw new SpdyProtocolError('short HEADERS');
        this.#decompressor.decompress(payload.subarray(4));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown types carry nothing this server acts on.
        return;
    }
  }
}
