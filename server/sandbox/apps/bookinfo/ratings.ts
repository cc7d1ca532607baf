// ratings (Node.js, ratings.js): per-reviewer star counts. v1 keeps ratings in memory, so one
// handler instance stands for one pod's process; v2 reads a database the sandbox does not run.

import type { AppHandler, AppResponse } from '../app-handler.ts';
import { respond } from '../respond.ts';

export type RatingsVersion = 'v1' | 'v2';

const DEFAULT_RATINGS = { Reviewer1: 5, Reviewer2: 4 } as const;

export function createRatingsApp(version: RatingsVersion = 'v1'): AppHandler {
  // Ratings POSTed to this process, by product id (lost when the pod goes, as in the real app).
  const added = new Map<number, unknown>();
  const stored = (id: number): unknown => (added.has(id) ? added.get(id) : { id, ratings: DEFAULT_RATINGS });

  return async (request) => {
    const method = request.method.toUpperCase();
    const url = request.path;
    // httpdispatcher matches the regex against the whole URL, query included, and the id is
    // whatever follows the last slash.
    if (/^\/ratings\/[0-9]*/.test(url) && (method === 'GET' || method === 'POST')) {
      const productId = Number.parseInt(url.split('/').at(-1) ?? '', 10);
      if (Number.isNaN(productId)) return json(400, { error: 'please provide numeric product ID' });
      if (method === 'POST') {
        let ratings: unknown;
        try {
          ratings = JSON.parse(request.body);
        } catch {
          return json(400, { error: 'please provide valid ratings JSON' });
        }
        if (version === 'v2') return json(501, { error: 'Post not implemented for database backed ratings' });
        added.set(productId, { id: productId, ratings });
        return json(200, stored(productId));
      }
      if (version === 'v2') return json(500, { error: 'could not connect to ratings database' });
      return json(200, stored(productId));
    }
    if (url === '/health' && method === 'GET') return json(200, { status: 'Ratings is healthy' });
    return respond(404, undefined, '');
  };
}

function json(status: number, value: unknown): AppResponse {
  return respond(status, 'application/json', JSON.stringify(value));
}
