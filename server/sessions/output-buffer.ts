// Terminal output kept per session so a reconnecting browser can resume where it stopped.
// Offsets are absolute: they count UTF-16 code units since the session started, and never
// restart when old output is dropped, so "resume from offset N" means the same thing on
// both sides of a reconnect.

export interface OutputSlice {
  /** Absolute offset of `data`'s first code unit. */
  offset: number;
  data: string;
  /** Code units between the requested offset and `offset` that are no longer kept. */
  dropped: number;
}

export class OutputBuffer {
  readonly capacity: number;
  /** Where the output begins: 0, or beyond everything a restored session's browser has seen. */
  readonly origin: number;
  #chunks: string[] = [];
  #start: number;
  #end: number;

  /**
   * @param capacity the most code units kept; older output is dropped first.
   * @param origin the offset of the first output. A session restored after a restart starts
   *   past any offset its browser can hold, so the browser writes the new output (it cannot
   *   mistake it for what it has shown) and nothing before the origin counts as dropped.
   */
  constructor(capacity: number, origin = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`OutputBuffer capacity must be a positive integer, got ${capacity}`);
    }
    if (!Number.isSafeInteger(origin) || origin < 0) throw new RangeError(`OutputBuffer origin must be a non-negative integer, got ${origin}`);
    this.capacity = capacity;
    this.origin = origin;
    this.#start = origin;
    this.#end = origin;
  }

  /** Offset of the oldest code unit still kept. */
  get start(): number {
    return this.#start;
  }

  /** Offset just past the newest output: where the next append begins. */
  get end(): number {
    return this.#end;
  }

  /** Appends output and returns the offset at which it starts. */
  append(data: string): number {
    const offset = this.#end;
    if (data.length === 0) return offset;
    this.#chunks.push(data);
    this.#end += data.length;
    this.#trim();
    return offset;
  }

  /**
   * Output from `offset` to the end. An offset before what is kept returns what remains and
   * says how much was dropped; an offset past the end returns nothing from the end.
   */
  readFrom(offset: number): OutputSlice {
    const from = Math.min(Math.max(offset, this.#start), this.#end);
    const dropped = Math.max(0, Math.min(this.#start, this.#end) - Math.max(this.origin, offset));
    let skip = from - this.#start;
    const parts: string[] = [];
    for (const chunk of this.#chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      parts.push(skip > 0 ? chunk.slice(skip) : chunk);
      skip = 0;
    }
    return { offset: from, data: parts.join(""), dropped };
  }

  #trim(): void {
    let excess = this.#end - this.#start - this.capacity;
    while (excess > 0) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#start += first.length;
        excess -= first.length;
        continue;
      }
      let cut = excess;
      // Never keep half of a surrogate pair: the replay would start with a broken character.
      if (isLowSurrogate(first.charCodeAt(cut))) cut += 1;
      this.#chunks[0] = first.slice(cut);
      this.#start += cut;
      excess = 0;
    }
    // Many tiny chunks make replays slow; fold them once they pile up.
    if (this.#chunks.length > 256) this.#chunks = [this.#chunks.join("")];
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
