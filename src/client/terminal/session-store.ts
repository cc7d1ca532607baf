// Keeps the current session's credentials in sessionStorage, so a page reload resumes the
// same sandbox while another browser tab gets its own.

/** The part of the Web Storage API the store uses (sessionStorage in the page). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredSession {
  id: string;
  token: string;
}

export const SESSION_STORAGE_KEY = "mesh-academy.terminal.session";

/** Accepts the `{id, token}` shape from storage or from `POST /api/sessions`, else null. */
export function parseStoredSession(value: unknown): StoredSession | null {
  if (typeof value !== "object" || value === null) return null;
  const { id, token } = value as Record<string, unknown>;
  if (typeof id !== "string" || id === "" || typeof token !== "string" || token === "") return null;
  return { id, token };
}

/**
 * Storage may be missing or throw (disabled cookies, private modes, quota): the terminal
 * still works then, only a reload starts a new session instead of resuming.
 */
export class SessionStore {
  readonly #storage: KeyValueStorage | null;
  readonly #key: string;

  constructor(storage: KeyValueStorage | null, key: string = SESSION_STORAGE_KEY) {
    this.#storage = storage;
    this.#key = key;
  }

  load(): StoredSession | null {
    try {
      const raw = this.#storage?.getItem(this.#key);
      return raw ? parseStoredSession(JSON.parse(raw)) : null;
    } catch {
      return null;
    }
  }

  save(session: StoredSession): void {
    try {
      this.#storage?.setItem(this.#key, JSON.stringify({ id: session.id, token: session.token }));
    } catch {
      // Not remembered: a reload will start a new session.
    }
  }

  clear(): void {
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Nothing stored that could be read back either.
    }
  }
}
