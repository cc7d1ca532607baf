/** A request line's path split into the path proper and its query parameters. */
export interface RequestTarget {
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** The raw query string without `?` ('' when absent). */
  readonly rawQuery: string;
}

export function parseRequestTarget(path: string): RequestTarget {
  const mark = path.indexOf('?');
  const pathname = mark === -1 ? path : path.slice(0, mark);
  const rawQuery = mark === -1 ? '' : path.slice(mark + 1);
  return { pathname: pathname === '' ? '/' : pathname, query: new URLSearchParams(rawQuery), rawQuery };
}
