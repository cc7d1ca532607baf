import { parseServerProgress, type ServerProgress } from "./server-progress.ts";
import type { SendOutcome, StepEvent } from "./progress-outbox.ts";

/**
 * The browser's side of /api/progress. Writes carry the `X-Mesh-Academy: 1` header the server
 * requires against cross-site requests; the learner cookie travels by itself (same origin).
 */
export class ProgressClient {
  readonly #fetch: typeof fetch;

  constructor(fetchFn: typeof fetch = (input, init) => fetch(input, init)) {
    this.#fetch = fetchFn;
  }

  /** The learner's progress, or undefined when the server cannot be reached. */
  async load(): Promise<ServerProgress | undefined> {
    try {
      const response = await this.#fetch("/api/progress", { credentials: "same-origin" });
      if (!response.ok) return undefined;
      return parseServerProgress(await response.json());
    } catch {
      return undefined;
    }
  }

  async send(event: StepEvent): Promise<SendOutcome> {
    const response = await this.#write("POST", "/api/progress/steps", event);
    if (response === undefined) return "unreachable";
    if (response.ok) return "acknowledged";
    // 408 and 429 say "later"; any other 4xx will be refused again. 5xx: the server is unwell.
    const later = response.status === 408 || response.status === 429 || response.status >= 500;
    return later ? "unreachable" : "refused";
  }

  async setDisplayName(displayName: string | null): Promise<boolean> {
    const response = await this.#write("PUT", "/api/progress/learner", { displayName });
    return response?.ok === true;
  }

  async #write(method: string, path: string, body: unknown): Promise<Response | undefined> {
    try {
      return await this.#fetch(path, {
        method,
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-mesh-academy": "1" },
        body: JSON.stringify(body),
      });
    } catch {
      return undefined;
    }
  }
}
