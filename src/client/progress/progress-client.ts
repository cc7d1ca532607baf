import { parseServerProgress, type ServerProgress } from "./server-progress.ts";
import type { SendOutcome, StepEvent } from "./progress-outbox.ts";

export type JoinOutcome =
  | { ok: true; workshop: { title: string; lessons: string[] } }
  | { ok: false; code: string; message: string };

/**
 * The browser's side of /api/progress and /api/join. Writes carry the `X-Mesh-Academy: 1` header the server
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

  /** Joins a workshop by code under `displayName`; the message is the server's, for display as text. */
  async join(code: string, displayName: string): Promise<JoinOutcome> {
    const response = await this.#write("POST", "/api/join", { code, displayName });
    if (response === undefined) return { ok: false, code: "UNREACHABLE", message: "The server cannot be reached; try again in a moment." };
    const body = (await response.json().catch(() => ({}))) as {
      workshop?: { title?: unknown; lessons?: unknown };
      error?: { code?: unknown; message?: unknown };
    };
    if (response.ok && typeof body.workshop?.title === "string" && Array.isArray(body.workshop.lessons)) {
      return { ok: true, workshop: { title: body.workshop.title, lessons: body.workshop.lessons.filter((l): l is string => typeof l === "string") } };
    }
    return {
      ok: false,
      code: typeof body.error?.code === "string" ? body.error.code : `HTTP_${response.status}`,
      message: typeof body.error?.message === "string" ? body.error.message : `Joining failed (HTTP ${response.status}).`,
    };
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
