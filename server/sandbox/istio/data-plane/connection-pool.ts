// Envoy's HTTP/1.1 connection pool toward one upstream cluster, with the circuit breakers a
// DestinationRule's `connectionPool` sets: at most `maxConnections` connections, at most
// `http1MaxPendingRequests` requests waiting for a connection, at most `http2MaxRequests`
// requests in flight, and a connection closed after `maxRequestsPerConnection` requests. A
// request that finds the pending queue full overflows at once (Envoy answers 503 UO). Opening
// a connection takes `connectMs` on the plane's clock; that gap is where a second request finds
// the first still pending, as on a real sidecar.

/** Envoy's default for an unset circuit breaker threshold (effectively no limit). */
const UNLIMITED = 2 ** 32 - 1;

export interface PoolLimits {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  /** 0: a connection serves any number of requests. */
  maxRequestsPerConnection: number;
}

export interface PoolStats {
  /** Requests that found the pending queue full (`upstream_rq_pending_overflow`). */
  pendingOverflow: number;
  /** Requests that found `http2MaxRequests` in flight (Envoy counts these under `upstream_rq_pending_overflow` too). */
  requestOverflow: number;
  /** Times a connection was wanted but `maxConnections` were open (`upstream_cx_overflow`). */
  connectionOverflow: number;
  requestsTotal: number;
  /** Requests that had to wait for a connection (`upstream_rq_pending_total`). */
  pendingTotal: number;
  connectionsTotal: number;
  requestsActive: number;
  pendingActive: number;
  connectionsActive: number;
}

export interface PoolLease {
  /** The request is done with its connection (the connection closes if it served its last). */
  release(): void;
}

export interface ConnectionPool {
  /** A connection for one request, or `overflow` when a circuit breaker trips. */
  acquire(limits: PoolLimits, signal: AbortSignal): Promise<PoolLease | 'overflow'>;
  stats(): PoolStats;
}

function positiveInt(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The limits of a DestinationRule `trafficPolicy.connectionPool`, or undefined when it sets none. */
export function poolLimits(connectionPool: Record<string, unknown> | undefined): PoolLimits | undefined {
  if (connectionPool === undefined) return undefined;
  const tcp = record(connectionPool.tcp);
  const http = record(connectionPool.http);
  const limits: PoolLimits = {
    maxConnections: positiveInt(tcp.maxConnections, UNLIMITED),
    maxPendingRequests: positiveInt(http.http1MaxPendingRequests, UNLIMITED),
    maxRequests: positiveInt(http.http2MaxRequests, UNLIMITED),
    maxRequestsPerConnection: positiveInt(http.maxRequestsPerConnection, 0),
  };
  const unlimited = limits.maxConnections === UNLIMITED && limits.maxPendingRequests === UNLIMITED && limits.maxRequests === UNLIMITED && limits.maxRequestsPerConnection === 0;
  return unlimited ? undefined : limits;
}

interface PoolConnection {
  busy: boolean;
  served: number;
}

interface Waiter {
  grant(connection: PoolConnection): void;
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** `connect` waits out the time a new upstream connection takes to open. */
export function createConnectionPool(connect: () => Promise<void>): ConnectionPool {
  const connections: PoolConnection[] = [];
  const pending: Waiter[] = [];
  let connecting = 0;
  let limits: PoolLimits | undefined;
  const stats: PoolStats = { pendingOverflow: 0, requestOverflow: 0, connectionOverflow: 0, requestsTotal: 0, pendingTotal: 0, connectionsTotal: 0, requestsActive: 0, pendingActive: 0, connectionsActive: 0 };

  const lease = (connection: PoolConnection): PoolLease => {
    connection.busy = true;
    stats.requestsActive++;
    stats.requestsTotal++;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        stats.requestsActive--;
        connection.served++;
        connection.busy = false;
        const max = limits?.maxRequestsPerConnection ?? 0;
        if (max > 0 && connection.served >= max) connections.splice(connections.indexOf(connection), 1);
        dispatch();
      },
    };
  };

  const dispatch = (): void => {
    for (const connection of connections) {
      if (pending.length === 0) break;
      if (!connection.busy) pending.shift()?.grant(connection);
    }
    // Waiters left without a connection: open more while the limit allows.
    if (pending.length > connecting) {
      if (connections.length + connecting < (limits?.maxConnections ?? UNLIMITED)) open();
      else stats.connectionOverflow++;
    }
    stats.pendingActive = pending.length;
    stats.connectionsActive = connections.length;
  };

  const open = (): void => {
    connecting++;
    stats.connectionsTotal++;
    void connect()
      .catch(() => undefined)
      .then(() => {
        connecting--;
        connections.push({ busy: false, served: 0 });
        dispatch();
      });
  };

  return {
    async acquire(current, signal) {
      limits = current;
      if (signal.aborted) throw abortError();
      if (stats.requestsActive + pending.length >= current.maxRequests) {
        stats.requestOverflow++;
        return 'overflow';
      }
      const idle = connections.find((c) => !c.busy);
      if (idle !== undefined) return lease(idle);
      if (pending.length >= current.maxPendingRequests) {
        stats.pendingOverflow++;
        return 'overflow';
      }
      return new Promise<PoolLease>((resolve, reject) => {
        const onAbort = (): void => {
          const at = pending.indexOf(waiter);
          if (at >= 0) pending.splice(at, 1);
          stats.pendingActive = pending.length;
          reject(abortError());
        };
        const waiter: Waiter = {
          grant(connection) {
            signal.removeEventListener('abort', onAbort);
            resolve(lease(connection));
          },
        };
        pending.push(waiter);
        stats.pendingTotal++;
        signal.addEventListener('abort', onAbort, { once: true });
        dispatch();
      });
    },
    stats: () => ({ ...stats }),
  };
}
