// Error pages of Flask apps (productpage, helloworld), as Werkzeug renders its HTTPExceptions.

import type { AppResponse } from './app-handler.ts';
import type { HeaderMap } from './header-map.ts';
import { respond } from './respond.ts';

const PAGES: Readonly<Record<number, readonly [title: string, description: string]>> = {
  400: ['Bad Request', 'The browser (or proxy) sent a request that this server could not understand.'],
  404: [
    'Not Found',
    'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  ],
  405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
  500: [
    'Internal Server Error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  ],
};

export function werkzeugError(status: 400 | 404 | 405 | 500, extra: HeaderMap = {}): AppResponse {
  const [title, description] = PAGES[status] ?? ['Error', ''];
  const body = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`;
  return respond(status, 'text/html; charset=utf-8', body, extra);
}
