// Terminal output with backpressure: held while paused (or while nobody listens yet) and
// handed out in bounded chunks, so a consumer that pauses mid-flood loses nothing.
export class TerminalOutput {
  readonly #listeners = new Set<(data: string) => void>();
  readonly #chunkChars: number;
  readonly #highWaterMark: number;
  readonly #drainListeners = new Set<() => void>();
  #queue: string[] = [];
  #queued = 0;
  #paused = false;
  #flushing = false;
  #scheduled = false;

  constructor(options: { chunkChars: number; highWaterMark: number }) {
    this.#chunkChars = Math.max(1, options.chunkChars);
    this.#highWaterMark = options.highWaterMark;
  }

  /** Characters waiting for delivery. */
  get buffered(): number {
    return this.#queued;
  }

  /** Enough output is waiting that the producer should not start more work. */
  get congested(): boolean {
    return this.#queued >= this.#highWaterMark;
  }

  get idle(): boolean {
    return this.#queued === 0;
  }

  write(data: string): void {
    if (data.length === 0) return;
    const last = this.#queue.length - 1;
    const tail = this.#queue[last];
    // Coalesce small writes so the queue stays short however the output arrives.
    if (tail !== undefined && tail.length < this.#chunkChars) this.#queue[last] = tail + data;
    else this.#queue.push(data);
    this.#queued += data.length;
    // Deliver once the current turn is done: readline echoes a paste one character per
    // write, and listeners (a WebSocket) should see it as a few chunks, not a million.
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  onData(listener: (data: string) => void): () => void {
    this.#listeners.add(listener);
    // Output written before the first listener arrived (the first prompt) goes to it.
    queueMicrotask(() => this.#flush());
    return () => this.#listeners.delete(listener);
  }

  /** Called whenever the queue empties after having held output. */
  onDrain(listener: () => void): () => void {
    this.#drainListeners.add(listener);
    return () => this.#drainListeners.delete(listener);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#flush();
  }

  #flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    const hadOutput = this.#queued > 0;
    try {
      while (!this.#paused && this.#listeners.size > 0 && this.#queue.length > 0) {
        const chunk = this.#take();
        // A listener may pause us; the loop condition sees it before the next chunk.
        for (const listener of [...this.#listeners]) listener(chunk);
      }
    } finally {
      this.#flushing = false;
    }
    if (hadOutput && this.#queued === 0) for (const listener of [...this.#drainListeners]) listener();
  }

  #take(): string {
    const head = this.#queue[0] ?? "";
    let chunk: string;
    if (head.length <= this.#chunkChars) {
      this.#queue.shift();
      chunk = head;
    } else {
      let end = this.#chunkChars;
      // Never split a surrogate pair across two chunks.
      const code = head.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end -= 1;
      chunk = head.slice(0, end);
      this.#queue[0] = head.slice(end);
    }
    this.#queued -= chunk.length;
    return chunk;
  }
}
