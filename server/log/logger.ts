// Structured logging: one JSON object per line. This module is the only server code that
// writes to the console streams; everything else receives a Logger.
import type { LogLevel } from "../config/config.ts";

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * A line the operator must see whatever LOG_LEVEL says (only "silent" hides it), such as
   * the address the server listens on. Written as an info line.
   */
  announce(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  fields?: LogFields;
  /** Where lines go; defaults to stdout for debug/info and stderr for warn/error. */
  write?: (line: string, level: Exclude<LogLevel, "silent">) => void;
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Any field whose name mentions a credential is masked, however deep it sits, so a careless
// `logger.info("x", { headers })` cannot leak a session token.
const SECRET_KEY = /token|authorization|secret|password|cookie/i;
const MAX_DEPTH = 6;

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level];
  const write = options.write ?? writeToConsoleStreams;
  const now = options.now ?? (() => new Date());

  const make = (bound: LogFields): Logger => {
    const log = (level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields, always = false) => {
      if (RANK[level] < threshold && !(always && options.level !== "silent")) return;
      const record = {
        time: now().toISOString(),
        level,
        msg: message,
        ...(sanitize({ ...bound, ...fields }, 0) as Record<string, unknown>),
      };
      write(`${JSON.stringify(record)}\n`, level);
    };
    return {
      debug: (message, fields) => log("debug", message, fields),
      info: (message, fields) => log("info", message, fields),
      warn: (message, fields) => log("warn", message, fields),
      error: (message, fields) => log("error", message, fields),
      announce: (message, fields) => log("info", message, fields, true),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

function writeToConsoleStreams(line: string, level: Exclude<LogLevel, "silent">): void {
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(line);
}

function sanitize(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(code === undefined ? {} : { code }),
      ...(value.stack ? { stack: value.stack } : {}),
    };
  }
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" ? value.toString() : value;
  }
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => sanitize(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : sanitize(child, depth + 1);
  }
  return out;
}
