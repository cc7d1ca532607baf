// The server's settings: the environment is parsed once, here, into a deep-frozen object.
// Every limit the server enforces has its default in this file, so an operator can read one
// place to learn what can be tuned and what the server does out of the box.
import { homedir } from "node:os";
import path from "node:path";
import { z } from "zod";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SANDBOX_PROVIDERS = ["embedded", "cluster"] as const;
export type SandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

export const SANDBOX_PROFILES = ["realistic", "instant"] as const;
export type SandboxProfile = (typeof SANDBOX_PROFILES)[number];

export interface Config {
  readonly http: {
    readonly port: number;
    readonly host: string;
    /** Origins allowed besides the server's own (normalised `scheme://host[:port]`). */
    readonly allowedOrigins: readonly string[];
  };
  readonly ws: {
    readonly maxPayloadBytes: number;
    readonly heartbeatMs: number;
    readonly highWaterMarkBytes: number;
  };
  readonly sessions: {
    readonly idleMs: number;
    readonly perClient: number;
    readonly max: number;
    /** Ring buffer kept per session for resume, in UTF-16 code units of terminal output. */
    readonly outputBufferUnits: number;
    /** Sessions one client address may create per minute (a whole room may share one NAT). */
    readonly createsPerMinute: number;
  };
  readonly sandbox: {
    readonly provider: SandboxProviderName;
    /** Pod timings of embedded clusters: `realistic` for learners, `instant` for tests. */
    readonly profile: SandboxProfile;
    /** Embedded sandboxes kept started for learners who arrive (memory of an idle sandbox each). */
    readonly warmSandboxes: number;
    /** The `cluster` provider's kubeconfig file (the operator's credentials). */
    readonly kubeconfig: string | undefined;
    /** The `cluster` provider's workstation image; unset means the project's published one. */
    readonly workstationImage: string | undefined;
    readonly shell: {
      readonly maxCommandCount: number;
      readonly maxExecutionMs: number;
    };
    /** Embedded sandboxes saved to DATA_DIR/sandboxes/ so they survive a server restart. */
    readonly snapshots: {
      readonly enabled: boolean;
      /** How often sessions whose terminal produced output are saved (also at shutdown). */
      readonly everyMs: number;
    };
  };
  readonly log: {
    readonly level: LogLevel;
  };
  readonly progress: {
    /** Where learners' progress (SQLite) and the generated cookie key live; absolute. */
    readonly dataDir: string;
    /** Signs learner cookies; unset means a key generated once and kept in dataDir. */
    readonly secret: string | undefined;
    /** The instructors' bearer token for the workshops API; unset turns that API off. */
    readonly adminToken: string | undefined;
    /** Join-code attempts one client address may make per minute. */
    readonly joinAttemptsPerMinute: number;
  };
  /** When a learner counts as stuck on the dashboard unless an instructor picks other rules. */
  readonly dashboard: {
    readonly stuck: { readonly afterMs: number; readonly afterFailedChecks: number };
  };
  readonly webhooks: {
    /** Receivers of every event; the only addresses the server ever posts events to. */
    readonly urls: readonly string[];
    /** HMAC-SHA256 key of the X-Mesh-Academy-Signature header; required when urls is not empty. */
    readonly secret: string | undefined;
  };
}

/** A setting in the environment is malformed; the message names the variable and the fix. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly variables: readonly string[];

  constructor(problems: readonly { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.variables = problems.map((p) => p.variable);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

// Unset and empty both mean "use the default": `PORT= mesh-academy start` should not fail.
const unsetAsUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

function integer(variable: string, fallback: number, min: number, max: number, unit: string) {
  const fix = `set ${variable} to a whole number from ${min} to ${max} (${unit}), or unset it to use the default (${fallback})`;
  return z.preprocess(
    unsetAsUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+$/, { message: `expected a whole number; ${fix}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { message: `too small; ${fix}` })
          .max(max, { message: `too large; ${fix}` }),
      )
      .default(fallback),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(variable: string, values: T, fallback: T[number]) {
  return z.preprocess(
    (v) => (typeof unsetAsUndefined(v) === "string" ? String(v).trim().toLowerCase() : undefined),
    z
      .enum(values, {
        message: `expected one of ${values.join(", ")}; set ${variable} to one of them, or unset it to use "${fallback}"`,
      })
      .default(fallback),
  );
}

/**
 * A comma-separated list of http(s) URLs. `keep` gives the value kept for an acceptable URL,
 * or undefined to refuse it; `problem` says what is wrong with a refused item and how to fix it.
 */
function httpUrlList(keep: (url: URL, item: string) => string | undefined, problem: (item: string) => string) {
  return z.preprocess(
    unsetAsUndefined,
    z
      .string()
      .default("")
      .transform((raw, ctx) => {
        const values: string[] = [];
        for (const item of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
          const url = URL.canParse(item) ? new URL(item) : undefined;
          const value = url !== undefined && (url.protocol === "http:" || url.protocol === "https:") ? keep(url, item) : undefined;
          if (value === undefined) {
            ctx.addIssue({ code: "custom", message: problem(item) });
            continue;
          }
          values.push(value);
        }
        return values;
      }),
  );
}

const originList = httpUrlList(
  (url, item) => (url.origin === item.replace(/\/$/, "") ? url.origin : undefined),
  (item) => `"${item}" is not an origin; list origins like https://learn.example.com (scheme, host and optional port, no path), separated by commas`,
);

const optionalText = z.preprocess(unsetAsUndefined, z.string().trim().optional());

const host = z.preprocess(
  unsetAsUndefined,
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, {
      message: "expected a host name or IP address; set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)",
    })
    .default("127.0.0.1"),
);

// Outside the working directory by default, so `npx mesh-academy start` from any folder finds
// the same learners again; containers set DATA_DIR to a mounted volume.
export const DEFAULT_DATA_DIR = path.join(homedir(), ".mesh-academy");

const secret = z.preprocess(
  unsetAsUndefined,
  z
    .string()
    .min(32, { message: "too short; set PROGRESS_SECRET to at least 32 random characters (e.g. `openssl rand -base64 32`), or unset it to generate one in DATA_DIR" })
    .optional(),
);

const adminToken = z.preprocess(
  unsetAsUndefined,
  z
    .string()
    .trim()
    .min(16, { message: "too short; set ADMIN_TOKEN to at least 16 random characters (e.g. `openssl rand -base64 24`), or unset it to turn the workshops API off" })
    .optional(),
);

const webhookUrls = httpUrlList(
  (url) => (url.username === "" && url.password === "" ? url.href : undefined),
  (item) => `"${item}" is not a webhook address; list http or https URLs without credentials, e.g. https://hooks.example.com/mesh-academy, separated by commas`,
);

const webhookSecret = z.preprocess(
  unsetAsUndefined,
  z
    .string()
    .min(16, { message: "too short; set WEBHOOK_SECRET to at least 16 random characters (e.g. `openssl rand -hex 32`)" })
    .optional(),
);

const envSchema = z.object({
  PORT: integer("PORT", 4321, 0, 65535, "0 picks a free port"),
  HOST: host,
  ALLOWED_ORIGINS: originList,
  WS_MAX_PAYLOAD_KIB: integer("WS_MAX_PAYLOAD_KIB", 64, 1, 16384, "KiB"),
  WS_HEARTBEAT_SECONDS: integer("WS_HEARTBEAT_SECONDS", 30, 1, 3600, "seconds"),
  WS_HIGH_WATER_MARK_KIB: integer("WS_HIGH_WATER_MARK_KIB", 1024, 1, 1048576, "KiB"),
  SESSION_IDLE_MINUTES: integer("SESSION_IDLE_MINUTES", 30, 1, 10080, "minutes"),
  SESSIONS_PER_CLIENT: integer("SESSIONS_PER_CLIENT", 5, 1, 10000, "sessions"),
  SESSIONS_MAX: integer("SESSIONS_MAX", 100, 1, 100000, "sessions"),
  OUTPUT_BUFFER_KIB: integer("OUTPUT_BUFFER_KIB", 256, 1, 65536, "KiB"),
  SANDBOX_PROVIDER: oneOf("SANDBOX_PROVIDER", SANDBOX_PROVIDERS, "embedded"),
  SANDBOX_PROFILE: oneOf("SANDBOX_PROFILE", SANDBOX_PROFILES, "realistic"),
  SANDBOX_WARM_POOL: integer("SANDBOX_WARM_POOL", 2, 0, 500, "sandboxes"),
  KUBECONFIG: optionalText,
  WORKSTATION_IMAGE: optionalText,
  LOG_LEVEL: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
  // Per command line: enough for `kubectl get pods -w` to run for a while, while an endless
  // `while true; do :; done` still stops within a second or so on the command count.
  SHELL_MAX_COMMAND_COUNT: integer("SHELL_MAX_COMMAND_COUNT", 100000, 1, 10000000, "commands per command line"),
  SHELL_MAX_EXECUTION_SECONDS: integer("SHELL_MAX_EXECUTION_SECONDS", 600, 1, 3600, "seconds per command line"),
  SANDBOX_SNAPSHOTS: oneOf("SANDBOX_SNAPSHOTS", ["on", "off"] as const, "on"),
  SANDBOX_SNAPSHOT_SECONDS: integer("SANDBOX_SNAPSHOT_SECONDS", 30, 1, 3600, "seconds between saves of changed sandboxes"),
  DATA_DIR: optionalText,
  PROGRESS_SECRET: secret,
  ADMIN_TOKEN: adminToken,
  JOIN_ATTEMPTS_PER_MINUTE: integer("JOIN_ATTEMPTS_PER_MINUTE", 10, 1, 10000, "attempts per client address per minute"),
  // A workshop room often reaches the server through one NAT address: 500 learners opening
  // their first lesson within the same minute, some of them twice, must all get a sandbox.
  // SESSIONS_MAX still bounds how many run at once.
  SESSION_CREATES_PER_MINUTE: integer("SESSION_CREATES_PER_MINUTE", 1200, 1, 1000000, "sessions created per client address per minute"),
  STUCK_AFTER_MINUTES: integer("STUCK_AFTER_MINUTES", 10, 1, 1440, "minutes on one step"),
  STUCK_AFTER_FAILED_CHECKS: integer("STUCK_AFTER_FAILED_CHECKS", 3, 1, 100, "failed check runs on one step"),
  WEBHOOK_URLS: webhookUrls,
  WEBHOOK_SECRET: webhookSecret,
});

/** Parses the environment (normally `process.env`) into the server's frozen settings. */
export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(pickKnown(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: `${issue.message} (got ${JSON.stringify(env[String(issue.path[0])] ?? null)})`,
      })),
    );
  }
  const e = parsed.data;
  if (e.SANDBOX_PROVIDER === "cluster" && e.KUBECONFIG === undefined) {
    throw new ConfigError([
      {
        variable: "KUBECONFIG",
        message: "SANDBOX_PROVIDER=cluster needs a cluster; set KUBECONFIG to the path of a kubeconfig allowed to create namespaces and RBAC (got null)",
      },
    ]);
  }
  if (e.WEBHOOK_URLS.length > 0 && e.WEBHOOK_SECRET === undefined) {
    throw new ConfigError([
      {
        variable: "WEBHOOK_SECRET",
        message: "WEBHOOK_URLS is set, and receivers must be able to verify events; set WEBHOOK_SECRET to at least 16 random characters (got null)",
      },
    ]);
  }
  return deepFreeze({
    http: { port: e.PORT, host: e.HOST, allowedOrigins: e.ALLOWED_ORIGINS },
    ws: {
      maxPayloadBytes: e.WS_MAX_PAYLOAD_KIB * 1024,
      heartbeatMs: e.WS_HEARTBEAT_SECONDS * 1000,
      highWaterMarkBytes: e.WS_HIGH_WATER_MARK_KIB * 1024,
    },
    sessions: {
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      perClient: e.SESSIONS_PER_CLIENT,
      max: e.SESSIONS_MAX,
      outputBufferUnits: e.OUTPUT_BUFFER_KIB * 1024,
      createsPerMinute: e.SESSION_CREATES_PER_MINUTE,
    },
    sandbox: {
      provider: e.SANDBOX_PROVIDER,
      profile: e.SANDBOX_PROFILE,
      warmSandboxes: e.SANDBOX_WARM_POOL,
      kubeconfig: e.KUBECONFIG,
      workstationImage: e.WORKSTATION_IMAGE,
      shell: {
        maxCommandCount: e.SHELL_MAX_COMMAND_COUNT,
        maxExecutionMs: e.SHELL_MAX_EXECUTION_SECONDS * 1000,
      },
      snapshots: { enabled: e.SANDBOX_SNAPSHOTS === "on", everyMs: e.SANDBOX_SNAPSHOT_SECONDS * 1000 },
    },
    log: { level: e.LOG_LEVEL },
    progress: {
      dataDir: path.resolve(e.DATA_DIR ?? DEFAULT_DATA_DIR),
      secret: e.PROGRESS_SECRET,
      adminToken: e.ADMIN_TOKEN,
      joinAttemptsPerMinute: e.JOIN_ATTEMPTS_PER_MINUTE,
    },
    dashboard: { stuck: { afterMs: e.STUCK_AFTER_MINUTES * 60_000, afterFailedChecks: e.STUCK_AFTER_FAILED_CHECKS } },
    webhooks: { urls: e.WEBHOOK_URLS, secret: e.WEBHOOK_SECRET },
  });
}

/** Every variable the server reads, with its default as written in the environment (undefined: none). */
export function environmentDefaults(): Record<string, string | undefined> {
  const parsed = envSchema.parse({}) as Record<string, unknown>;
  const defaults: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = parsed[key];
    defaults[key] = value === undefined || (Array.isArray(value) && value.length === 0) ? undefined : String(value);
  }
  return defaults;
}

// Only our own variables reach the schema, so the error path always names one of them.
function pickKnown(env: Env): Record<string, string | undefined> {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) known[key] = env[key];
  return known;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
