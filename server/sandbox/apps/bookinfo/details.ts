// details-v1 (Ruby/WEBrick, details.rb): static book details as compact JSON.

import type { AppHandler, AppResponse } from '../app-handler.ts';
import { htmlEscape } from '../html-escape.ts';
import { parseRequestTarget } from '../request-target.ts';
import { respond } from '../respond.ts';

export const BOOK_DETAILS = {
  author: 'William Shakespeare',
  year: 1595,
  type: 'paperback',
  pages: 200,
  publisher: 'PublisherA',
  language: 'English',
  'ISBN-10': '1234567890',
  'ISBN-13': '123-1234567890',
} as const;

export function createDetailsApp(): AppHandler {
  return async (request, context) => {
    const { pathname } = parseRequestTarget(request.path);
    // WEBrick's mount_proc matches the mount point and anything below it, for every method.
    if (mountedAt(pathname, '/health')) return json(200, { status: 'Details is healthy' });
    if (mountedAt(pathname, '/details')) {
      const last = pathname.split('/').filter((part) => part !== '').at(-1) ?? '';
      if (!/^[+-]?\d+$/.test(last)) return json(400, { error: 'please provide numeric product id' });
      return json(200, { id: Number.parseInt(last, 10), ...BOOK_DETAILS });
    }
    return notFound(pathname, context.pod.name);
  };
}

function mountedAt(pathname: string, mount: string): boolean {
  return pathname === mount || pathname.startsWith(`${mount}/`);
}

function json(status: number, value: unknown): AppResponse {
  return respond(status, 'application/json', JSON.stringify(value));
}

function notFound(pathname: string, host: string): AppResponse {
  const body = [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">',
    '<HTML>',
    '  <HEAD><TITLE>Not Found</TITLE></HEAD>',
    '  <BODY>',
    '    <H1>Not Found</H1>',
    `    \`${htmlEscape(pathname)}' not found.`,
    '    <HR>',
    '    <ADDRESS>',
    `     WEBrick at ${htmlEscape(host)}:9080`,
    '    </ADDRESS>',
    '  </BODY>',
    '</HTML>',
    '',
  ].join('\n');
  return respond(404, 'text/html; charset=ISO-8859-1', body);
}
