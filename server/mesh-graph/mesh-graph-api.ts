// The mesh graph of a learner's sandbox:
//
//   GET /api/sessions/:id/mesh-graph          (Authorization: Bearer <token>)
//     → 200 application/json: MeshGraph
//   GET /api/sessions/:id/mesh-graph/events   (Authorization: Bearer <token>)
//     → 200 text/event-stream: `event: graph` with a MeshGraph whenever it changes (the
//       traffic is looked at every tick, the cluster objects are read again when a watch
//       reports a change), `: keep-alive` comments in between; the stream ends after
//       maxStreamMs and the browser opens it again. Read with fetch (EventSource cannot send
//       the Authorization header).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MeshGraph } from "../../src/client/mesh-graph/mesh-graph-data.ts";
import { watchClusterChanges } from "../auto-check/cluster-changes.ts";
import { sendJson, sendJsonError } from "../http/json-response.ts";
import type { MeshTelemetry } from "../providers/sandbox-provider.ts";
import { buildMeshGraph, type MeshObject } from "./build-mesh-graph.ts";
import { readMeshObjects } from "./read-mesh-objects.ts";
import { createTrafficWindow, type TrafficWindow } from "./traffic-window.ts";

const GRAPH = /^\/api\/sessions\/([^/]+)\/mesh-graph(\/events)?$/;

/** What the graph needs of a sandbox. */
export interface MeshGraphTarget {
  readonly kubeconfig: string;
  telemetry?(): MeshTelemetry;
}

export interface MeshGraphApiOptions {
  /** Authenticates (throwing an error with `status` and `code` to refuse) and returns the running sandbox. */
  sandboxFor(sessionId: string, bearerToken: string | undefined): MeshGraphTarget | undefined;
  headersFor?: (req: IncomingMessage) => Record<string, string>;
  /** Reads the cluster's objects; through the kubeconfig by default. */
  readObjects?: (kubeconfig: string) => Promise<MeshObject[]>;
  /** Calls onChange after cluster changes until signal aborts; cluster watches by default. */
  watchChanges?: (kubeconfig: string, onChange: () => void, signal: AbortSignal) => void;
  now?: () => number;
  /** The traffic window; default one minute, as Kiali's default. */
  windowMs?: number;
  /** How often an open stream looks at the traffic; default 1 s. */
  tickMs?: number;
  /** How long one stream stays open; default 10 minutes. */
  maxStreamMs?: number;
  /** Keep-alive comment interval; default 15 s. */
  keepAliveMs?: number;
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
}

export function createMeshGraphApi(options: MeshGraphApiOptions): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  const readObjects = options.readObjects ?? readMeshObjects;
  const watchChanges = options.watchChanges ?? ((kubeconfig, onChange, signal) => watchClusterChanges(kubeconfig, onChange, signal));
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  // One window per sandbox, shared by every reader of its graph; it goes with the sandbox.
  const windows = new WeakMap<MeshGraphTarget, TrafficWindow>();
  const windowOf = (target: MeshGraphTarget): TrafficWindow => {
    let window = windows.get(target);
    if (window === undefined) {
      window = createTrafficWindow(windowMs);
      windows.set(target, window);
    }
    return window;
  };
  const graphOf = (target: MeshGraphTarget, objects: readonly MeshObject[]): MeshGraph => {
    const at = now();
    const traffic = target.telemetry === undefined ? undefined : windowOf(target).observe(target.telemetry().edges, at);
    return buildMeshGraph({ traffic, windowMs, objects, nowMs: at });
  };

  return async (req, res, pathname) => {
    const match = GRAPH.exec(pathname);
    if (match === null) return false;
    const headers = options.headersFor?.(req) ?? {};
    if (req.method !== "GET") {
      sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "Use GET to read the mesh graph.", { ...headers, Allow: "GET" });
      return true;
    }
    let target: MeshGraphTarget | undefined;
    try {
      target = options.sandboxFor(decodeURIComponent(match[1] ?? ""), bearer(req));
    } catch (error) {
      const { status, code, message } = error as { status?: unknown; code?: unknown; message?: unknown };
      if (typeof status !== "number" || typeof code !== "string") throw error;
      sendJsonError(res, status, code, String(message), status === 401 ? { ...headers, "WWW-Authenticate": "Bearer" } : headers);
      return true;
    }
    if (target === undefined) {
      sendJsonError(res, 409, "SANDBOX_NOT_READY", "Your sandbox is still starting.", headers);
      return true;
    }
    const sandbox = target;
    if (match[2] === undefined) {
      sendJson(res, 200, graphOf(sandbox, await readObjects(sandbox.kubeconfig)), headers);
      return true;
    }

    const controller = new AbortController();
    const { signal } = controller;
    res.on("close", () => controller.abort());
    res.writeHead(200, { ...headers, "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    let objects = await readObjects(sandbox.kubeconfig);
    let last = "";
    let stale = false;
    const push = (): void => {
      if (signal.aborted || res.writableEnded) return;
      const graph = graphOf(sandbox, objects);
      // `at` changes every tick; only a different graph is worth sending.
      const text = JSON.stringify({ ...graph, at: 0 });
      if (text === last) return;
      last = text;
      res.write(`event: graph\ndata: ${JSON.stringify(graph)}\n\n`);
    };
    const refreshObjects = async (): Promise<void> => {
      stale = false;
      objects = await readObjects(sandbox.kubeconfig);
      if (stale) return refreshObjects();
      push();
    };
    let reading: Promise<void> | undefined;
    watchChanges(
      sandbox.kubeconfig,
      () => {
        if (reading !== undefined) {
          stale = true;
          return;
        }
        reading = refreshObjects().finally(() => (reading = undefined));
      },
      signal,
    );
    push();
    const tick = setInterval(push, options.tickMs ?? 1000);
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(": keep-alive\n\n");
    }, options.keepAliveMs ?? 15_000);
    const limit = setTimeout(() => controller.abort(), options.maxStreamMs ?? 600_000);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    clearInterval(tick);
    clearInterval(keepAlive);
    clearTimeout(limit);
    if (!res.writableEnded) res.end();
    return true;
  };
}
