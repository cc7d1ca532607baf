// The instructor's token for this tab only: sessionStorage, so it is gone when the tab closes
// and never sent anywhere except as `Authorization: Bearer` to this site's API.
const KEY = "mesh-academy:admin-token";

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class AdminTokenStore {
  readonly #storage: TokenStorage | null;

  constructor(storage: TokenStorage | null = tabStorage()) {
    this.#storage = storage;
  }

  get(): string | null {
    try {
      return this.#storage?.getItem(KEY) || null;
    } catch {
      return null;
    }
  }

  set(token: string): void {
    try {
      this.#storage?.setItem(KEY, token.trim());
    } catch {
      // Storage blocked: the token lasts only as long as this page.
    }
  }

  clear(): void {
    try {
      this.#storage?.removeItem(KEY);
    } catch {
      // Nothing was kept.
    }
  }
}

function tabStorage(): TokenStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
