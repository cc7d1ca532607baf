// The instructor's side of the workshops and dashboard APIs: every request carries the token
// as `Authorization: Bearer`. Refusals become AdminApiError with the server's code and words.
import type { Grid, StuckRules } from "../../../server/dashboard/dashboard-protocol.ts";

export interface WorkshopSummary {
  id: string;
  title: string;
  lessons: string[];
  capacity: number;
  startsAt: string;
  endsAt: string;
  joinCode: string;
}

export interface NewWorkshop {
  title: string;
  lessons: string[];
  capacity: number;
  startsAt: string;
  endsAt: string;
  joinCode?: string;
}

export class AdminApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "AdminApiError";
    this.status = status;
    this.code = code;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class AdminClient {
  readonly #token: string;
  readonly #fetch: FetchLike;

  constructor(token: string, fetchFn: FetchLike = (input, init) => fetch(input, init)) {
    this.#token = token;
    this.#fetch = fetchFn;
  }

  async workshops(): Promise<WorkshopSummary[]> {
    const body = (await this.#json("GET", "/api/workshops")) as { workshops: WorkshopSummary[] };
    return body.workshops;
  }

  async workshop(id: string): Promise<WorkshopSummary> {
    const body = (await this.#json("GET", `/api/workshops/${encodeURIComponent(id)}`)) as { workshop: WorkshopSummary };
    return body.workshop;
  }

  async create(input: NewWorkshop): Promise<WorkshopSummary> {
    const body = (await this.#json("POST", "/api/workshops", input)) as { workshop: WorkshopSummary };
    return body.workshop;
  }

  async grid(id: string): Promise<Grid> {
    return ((await this.#json("GET", `/api/workshops/${encodeURIComponent(id)}/grid`)) as { grid: Grid }).grid;
  }

  /** A one-time ticket that opens one dashboard socket of this workshop. */
  async ticket(id: string): Promise<string> {
    return ((await this.#json("POST", `/api/workshops/${encodeURIComponent(id)}/tickets`)) as { ticket: string }).ticket;
  }

  /** The grid as a file, under the stuck rules shown on the page (the server's when undefined). */
  async exportFile(id: string, format: "csv" | "json", rules: StuckRules | undefined): Promise<{ blob: Blob; fileName: string }> {
    const query = rules === undefined ? "" : `?${new URLSearchParams({ stuckAfterMinutes: String(rules.afterMs / 60_000), stuckAfterFailedChecks: String(rules.afterFailedChecks) }).toString()}`;
    const response = await this.#request("GET", `/api/workshops/${encodeURIComponent(id)}/export.${format}${query}`);
    const fileName = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `workshop.${format}`;
    return { blob: await response.blob(), fileName };
  }

  async #json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.#request(method, path, body)).json();
  }

  async #request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await this.#fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), credentials: "same-origin" });
    } catch {
      throw new AdminApiError(0, "UNREACHABLE", "The server cannot be reached; try again in a moment.");
    }
    if (response.ok) return response;
    let code = `HTTP_${response.status}`;
    let message = `The server answered ${response.status}.`;
    try {
      const error = ((await response.json()) as { error?: { code?: unknown; message?: unknown } }).error;
      if (typeof error?.code === "string") code = error.code;
      if (typeof error?.message === "string") message = error.message;
    } catch {
      // Not JSON: keep the status.
    }
    if (code === "ADMIN_TOKEN_REQUIRED") message = "The server refused this token. Check it and enter it again.";
    throw new AdminApiError(response.status, code, message);
  }
}
