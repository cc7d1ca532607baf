import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class WebSocketProtocolError extends Error {
  readonly code = 'WEBSOCKET_PROTOCOL';
}

/**
 * The server side of one RFC 6455 connection, just enough for Kubernetes' channel protocols:
 * binary messages in, binary messages out, ping/pong and close. The sandbox is a pure library
 * (no `ws` dependency), and the framing is small.
 */
export class WebSocketConnection {
  #socket: Duplex;
  #buffer: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #closed = false;
  #maxMessageBytes: number;
  #onMessage: (data: Buffer) => void = () => {};
  #onClose: () => void = () => {};

  constructor(socket: Duplex, head: Buffer, maxMessageBytes: number) {
    this.#socket = socket;
    this.#maxMessageBytes = maxMessageBytes;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => this.#finish());
    socket.on('error', () => this.#finish());
    if (head.length > 0) queueMicrotask(() => this.#receive(head));
  }

  /** Completes the handshake, selecting `protocol`. */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, maxMessageBytes = 1024 * 1024): WebSocketConnection {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
    );
    return new WebSocketConnection(socket, head, maxMessageBytes);
  }

  onMessage(listener: (data: Buffer) => void): void {
    this.#onMessage = listener;
  }

  onClose(listener: () => void): void {
    this.#onClose = listener;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(data: Buffer): void {
    if (this.#closed) return;
    this.#socket.write(Buffer.concat([WebSocketConnection.#header(0x2, data.length), data]));
  }

  close(code = 1000): void {
    if (this.#closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.#socket.write(Buffer.concat([WebSocketConnection.#header(0x8, 2), payload]));
    this.#socket.end();
    this.#finish();
  }

  static #header(opcode: number, length: number): Buffer {
    if (length < 126) return Buffer.from([0x80 | opcode, length]);
    if (length < 65536) {
      const header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(length, 2);
      return header;
    }
    const header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
    return header;
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      while (this.#parseFrame());
    } catch {
      this.close(1002);
    }
  }

  /** Consumes one complete frame from the buffer; false when more bytes are needed. */
  #parseFrame(): boolean {
    const buffer = this.#buffer;
    if (buffer.length < 2) return false;
    const first = buffer[0] ?? 0;
    const second = buffer[1] ?? 0;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    const masked = (second & 0x80) !== 0;
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return false;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return false;
      const big = buffer.readBigUInt64BE(2);
      if (big > BigInt(this.#maxMessageBytes)) throw new WebSocketProtocolError('message too large');
      length = Number(big);
      offset = 10;
    }
    if (length > this.#maxMessageBytes) throw new WebSocketProtocolError('message too large');
    if (!masked) throw new WebSocketProtocolError('client frames must be masked');
    if (buffer.length < offset + 4 + length) return false;
    const mask = buffer.subarray(offset, offset + 4);
    const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    this.#buffer = buffer.subarray(offset + 4 + length);
    switch (opcode) {
      case 0x0:
      case 0x1:
      case 0x2:
        this.#fragments.push(payload);
        if (this.#fragments.reduce((sum, part) => sum + part.length, 0) > this.#maxMessageBytes) throw new WebSocketProtocolError('message too large');
        if (fin) {
          const message = Buffer.concat(this.#fragments);
          this.#fragments = [];
          this.#onMessage(message);
        }
        break;
      case 0x8:
        this.close(1000);
        break;
      case 0x9:
        if (!this.#closed) this.#socket.write(Buffer.concat([WebSocketConnection.#header(0xa, payload.length), payload]));
        break;
      default:
        break;
    }
    return true;
  }
}
