// The learner shell reaches exactly the network endpoints it is given (its own cluster's API
// server) and nothing else, whatever a learner writes into a kubeconfig. Every TCP
// connection a worker opens, for fetch, WebSockets or plain sockets, goes through
// net.Socket#connect, and each worker thread has its own copy of that prototype, so
// guarding it here confines this worker alone.
import net from "node:net";

export interface AllowedEndpoint {
  host: string;
  port: number;
}

type ConnectArgs = Parameters<net.Socket["connect"]>;

/** The host and port (or pipe path) a connect call asks for, in any of its call forms. */
function target(args: unknown[]): { host?: string; port?: number; path?: string } {
  // net.connect passes its already-normalised arguments as one array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === "object" && first !== null) {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    const result: { host?: string; port?: number; path?: string } = {};
    if (typeof options.path === "string") result.path = options.path;
    if (options.host !== undefined) result.host = String(options.host);
    if (options.port !== undefined) result.port = Number(options.port);
    return result;
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  const second = args[1];
  return { port: Number(first), ...(typeof second === "string" ? { host: second } : {}) };
}

function allowedBy(allowed: readonly AllowedEndpoint[], wanted: { host?: string; port?: number; path?: string }): boolean {
  if (wanted.path !== undefined) return false;
  const host = wanted.host ?? "localhost";
  return allowed.some((entry) => entry.port === wanted.port && entry.host === host);
}

/** Installs the guard for the rest of this thread's life. */
export function restrictConnections(allowed: readonly AllowedEndpoint[]): void {
  const original = net.Socket.prototype.connect;
  const endpoints = allowed.map((entry) => ({ ...entry }));
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const wanted = target(args);
    if (allowedBy(endpoints, wanted)) return original.apply(this, args as ConnectArgs);
    const where = wanted.path ?? `${wanted.host ?? "localhost"}:${wanted.port ?? 0}`;
    const error = Object.assign(new Error(`connect ECONNREFUSED ${where}`), {
      code: "ECONNREFUSED",
      errno: -111,
      syscall: "connect",
    });
    process.nextTick(() => this.destroy(error));
    return this;
  } as typeof original;
}
