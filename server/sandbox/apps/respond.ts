import type { AppResponse } from './app-handler.ts';
import type { HeaderMap } from './header-map.ts';

/** A response with a body and its content type; `extra` headers are added as given. */
export function respond(status: number, contentType: string | undefined, body: string, extra: HeaderMap = {}): AppResponse {
  const headers: Record<string, string | readonly string[]> = {};
  if (contentType !== undefined) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  return { status, headers, body };
}
