// Composition root: config → logger → provider → sessions → terminal gateway → HTTP.
// Nothing else in the server constructs these; tests build the same graph with a fake
// provider through startServer().
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Config } from "./config/config.ts";
import { startWebhooks, type Webhooks } from "./automation/webhooks.ts";
import { createHttpServer } from "./http/http-server.ts";
import type { Logger } from "./log/logger.ts";
import { LearnerCookie } from "./progress/learner-cookie.ts";
import { loadOrCreateProgressSecret } from "./progress/progress-secret.ts";
import { ProgressTracker } from "./progress/progress-tracker.ts";
import { PROGRESS_DATABASE_FILE, SqliteProgressStore } from "./progress/sqlite-progress-store.ts";
import { Workshops } from "./progress/workshops.ts";
import type { SandboxProvider } from "./providers/sandbox-provider.ts";
import { isRestorableProvider, SessionManager } from "./sessions/session-manager.ts";
import { SNAPSHOTS_FOLDER, SnapshotStore } from "./snapshots/snapshot-store.ts";
import { TerminalGateway } from "./terminal/terminal-gateway.ts";
import { createDashboard } from "./dashboard/dashboard.ts";

const DEFAULT_LESSONS_DIR = fileURLToPath(new URL("../lessons/", import.meta.url));

export interface StartServerOptions {
  config: Config;
  logger: Logger;
  /** The built site (dist/). */
  siteRoot: string;
  /** Defaults to the provider named by SANDBOX_PROVIDER. */
  provider?: SandboxProvider;
  /** The lessons whose checks the server runs; defaults to the project's `lessons/`. */
  lessonsDir?: string;
  now?: () => number;
  /** Defaults to the SQLite store in DATA_DIR; the server closes it on shutdown. */
  progress?: { tracker: ProgressTracker; workshops: Workshops };
}

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:4321 (the real port when PORT=0). */
  readonly url: string;
  readonly server: Server;
  readonly sessions: SessionManager;
  readonly gateway: TerminalGateway;
  /** Learners' progress; the checks path records completions through it. */
  readonly progress: ProgressTracker;
  /** Stops accepting, closes terminals with 1001, disposes every session. Idempotent. */
  shutdown(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const provider = options.provider ?? (await createProvider(config, logger.child({ component: "provider" })));
  // Leftovers of sessions an earlier process held (a real cluster keeps them across restarts).
  const swept = await provider.sweep?.();
  if (swept !== undefined && swept > 0) logger.info("removed leftovers of earlier sessions", { sandboxes: swept });
  // Sandboxes saved by an earlier process come back when their learner's page resumes them.
  const snapshots =
    config.sandbox.snapshots.enabled && isRestorableProvider(provider)
      ? new SnapshotStore({ dir: path.join(config.progress.dataDir, SNAPSHOTS_FOLDER), logger: logger.child({ component: "snapshots" }) })
      : undefined;
  const expired = await snapshots?.sweep(config.sessions.idleMs, (options.now ?? Date.now)());
  if (expired !== undefined && expired > 0) logger.info("deleted snapshots of expired sessions", { snapshots: expired });
  const sessions = new SessionManager({
    provider,
    ...(snapshots !== undefined ? { snapshots } : {}),
    limits: {
      perClient: config.sessions.perClient,
      max: config.sessions.max,
      idleMs: config.sessions.idleMs,
      outputBufferUnits: config.sessions.outputBufferUnits,
    },
    logger: logger.child({ component: "sessions" }),
    ...(options.now ? { now: options.now } : {}),
  });
  const { tracker: progress, workshops } = options.progress ?? createProgress(config);
  const lessonsDir = options.lessonsDir ?? DEFAULT_LESSONS_DIR;
  const dashboard = createDashboard({
    tracker: progress,
    workshops,
    sessions,
    lessonsDir,
    adminToken: config.progress.adminToken,
    rules: config.dashboard.stuck,
    allowedOrigins: config.http.allowedOrigins,
    logger: logger.child({ component: "dashboard" }),
    ...(options.now ? { now: options.now } : {}),
  });
  const gateway = new TerminalGateway({
    sessions,
    allowedOrigins: config.http.allowedOrigins,
    maxPayloadBytes: config.ws.maxPayloadBytes,
    heartbeatMs: config.ws.heartbeatMs,
    highWaterMarkBytes: config.ws.highWaterMarkBytes,
    logger: logger.child({ component: "terminal" }),
    // The learner's cookie on the terminal socket links the session to them (for watching).
    onAttached: (session, request) => dashboard.linkSession(session, request),
  });
  const webhooks: Webhooks | undefined =
    config.webhooks.urls.length > 0 && config.webhooks.secret !== undefined
      ? startWebhooks({
          databaseFile: path.join(config.progress.dataDir, PROGRESS_DATABASE_FILE),
          urls: config.webhooks.urls,
          secret: config.webhooks.secret,
          tracker: progress,
          lessonsDir,
          logger: logger.child({ component: "webhooks" }),
        })
      : undefined;
  const server = createHttpServer({
    siteRoot: options.siteRoot,
    lessonsDir,
    allowedOrigins: config.http.allowedOrigins,
    sessions,
    gateway,
    logger: logger.child({ component: "http" }),
    progress,
    workshops: { workshops, adminToken: config.progress.adminToken },
    dashboard,
    sessionCreatesPerMinute: config.sessions.createsPerMinute,
    ...(webhooks ? { onSessionCreated: (req, id) => webhooks.sessionStarted(req.headers, id) } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  sessions.startSweeping();
  sessions.startSnapshotting(config.sandbox.snapshots.everyMs);
  const url = urlOf(server.address() as AddressInfo);

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      logger.info("shutting down", { sessions: sessions.size });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await dashboard.close();
      await sessions.disposeAll();
      await provider.close?.();
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections();
      await closed;
      // Undelivered events stay in the outbox for the next start.
      await webhooks?.stop();
      progress.close();
      logger.info("stopped");
    })();
    return stopping;
  };

  return { url, server, sessions, gateway, progress, shutdown };
}

/** Progress and workshops in SQLite under DATA_DIR, cookies signed with PROGRESS_SECRET or a generated key. */
export function createProgress(config: Config): { tracker: ProgressTracker; workshops: Workshops } {
  const { dataDir, secret, joinAttemptsPerMinute } = config.progress;
  const store = new SqliteProgressStore(path.join(dataDir, PROGRESS_DATABASE_FILE));
  const tracker = new ProgressTracker({ store, cookie: new LearnerCookie(loadOrCreateProgressSecret(dataDir, secret)) });
  return { tracker, workshops: new Workshops({ store, tracker, joinAttemptsPerMinute }) };
}

/** The sandbox provider named in the config, loaded only when it is the one in use. */
export async function createProvider(config: Config, logger?: Logger): Promise<SandboxProvider> {
  switch (config.sandbox.provider) {
    case "embedded": {
      const { EmbeddedProvider } = await import("./providers/embedded-provider.ts");
      const provider = new EmbeddedProvider({
        profile: config.sandbox.profile,
        ...(logger !== undefined
          ? { onRestoreFailures: (sandbox: string, failures: unknown) => logger.warn("saved objects not restored", { sandbox, failures }) }
          : {}),
        warmSandboxes: config.sandbox.warmSandboxes,
        shell: {
          maxCommandCount: config.sandbox.shell.maxCommandCount,
          maxExecutionMs: config.sandbox.shell.maxExecutionMs,
        },
      });
      provider.warmUp();
      return provider;
    }
    case "cluster": {
      const { readFile } = await import("node:fs/promises");
      const { ClusterProvider } = await import("./providers/cluster/cluster-provider.ts");
      // KUBECONFIG may list several files; like kubectl, the first one holds the context.
      const file = (config.sandbox.kubeconfig ?? "").split(":").find((entry) => entry !== "") ?? "";
      return new ClusterProvider({
        kubeconfig: await readFile(file, "utf8"),
        ...(config.sandbox.workstationImage !== undefined ? { image: config.sandbox.workstationImage } : {}),
      });
    }
  }
}

/** SIGTERM/SIGINT: shut down gracefully, then exit 0 (a second signal exits at once). */
export function exitOnSignals(running: RunningServer, logger: Logger, exit: (code: number) => void = process.exit): () => void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn("second signal, exiting now", { signal });
      exit(1);
      return;
    }
    received = true;
    logger.info("signal received", { signal });
    running.shutdown().then(
      () => exit(0),
      (error: unknown) => {
        logger.error("shutdown failed", { error });
        exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return () => {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  };
}

function urlOf(address: AddressInfo): string {
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const host = wildcard ? "127.0.0.1" : address.address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}
