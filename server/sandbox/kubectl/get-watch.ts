// `kubectl get -w`: after the list, each change arrives as a watch event and is printed as
// one more line. kubectl keeps one tab writer for the whole watch, so a column only ever
// widens: a row wider than those before it pushes its own cells out, and later rows keep
// that width (earlier lines are never redrawn).
import { TABLE_ACCEPT } from './api-client.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject, OutputFormat } from './object-output.ts';
import { objectName, printStructured } from './object-output.ts';
import type { ApiResource } from './discovery.ts';

const MIN_WIDTH = 6;
const PADDING = 3;

/** Column widths that only grow, as one long-lived Go tabwriter lays out successive rows. */
export class GrowingColumns {
  readonly #widths: number[] = [];

  /** Lays out rows already formatted together (the list kubectl printed first). */
  remember(rows: readonly (readonly string[])[]): void {
    for (const row of rows) this.#measure(row);
  }

  line(cells: readonly string[]): string {
    this.#measure(cells);
    return `${cells.map((cell, index) => (index < cells.length - 1 ? cell.padEnd(this.#widths[index] ?? 0) : cell)).join('')}\n`;
  }

  #measure(cells: readonly string[]): void {
    cells.forEach((cell, index) => {
      if (index === cells.length - 1) return;
      this.#widths[index] = Math.max(this.#widths[index] ?? 0, MIN_WIDTH, [...cell].length + PADDING);
    });
  }
}

export interface WatchTarget {
  resource: ApiResource;
  /** The list path (namespace, name selector and label/field selectors included). */
  path: string;
  /** The list's resourceVersion: events start after it. */
  resourceVersion: string;
  format: OutputFormat;
  /** Table cells of one row from a watch event's Table (the same columns as the list). */
  cells?: (table: WatchTable) => string[] | undefined;
  /** The header cells, printed before the first row when the list printed none. */
  header?: string[];
  columns: GrowingColumns;
  headerPrinted: boolean;
}

export interface WatchTable {
  rows?: Array<{ cells: unknown[]; object?: KubeObject }>;
  columnDefinitions?: unknown[];
}

interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

/** Streams the watch until the command is interrupted; returns kubectl's exit code. */
export async function watchAndPrint(context: KubectlContext, target: WatchTarget): Promise<number> {
  const table = target.format.kind === 'table' || target.format.kind === 'wide';
  const separator = target.path.includes('?') ? '&' : '?';
  const path = `${target.path}${separator}watch=1&resourceVersion=${encodeURIComponent(target.resourceVersion)}&allowWatchBookmarks=true`;
  let buffered = '';
  let headerPrinted = target.headerPrinted;
  const print = (event: WatchEvent): void => {
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR') {
      const message = typeof event.object.message === 'string' ? event.object.message : 'unknown watch error';
      throw new KubectlError('WATCH_FAILED', `error: ${message}`);
    }
    if (table) {
      const cells = target.cells?.(event.object as WatchTable);
      if (cells === undefined) return;
      if (!headerPrinted && target.header !== undefined) {
        // The header goes out with the first row, laid out together.
        target.columns.remember([target.header, cells]);
        context.out(target.columns.line(target.header));
        headerPrinted = true;
      }
      context.out(target.columns.line(cells));
      return;
    }
    const object = event.object as KubeObject;
    if (target.format.kind === 'name') context.out(`${objectName(target.resource, object)}\n`);
    else context.out(`${target.format.kind === 'yaml' ? '---\n' : ''}${printStructured(target.format, object, { managedFields: false })}`);
  };
  try {
    await context.client.stream({ path, accept: table ? TABLE_ACCEPT : 'application/json' }, (chunk) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') print(JSON.parse(line) as WatchEvent);
        newline = buffered.indexOf('\n');
      }
    });
  } catch (error) {
    // Ctrl-C ends a watch; that is how it is meant to stop.
    if (context.io.signal?.aborted === true) return 0;
    throw error;
  }
  return 0;
}
