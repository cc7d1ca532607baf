// The two terminal servers the benchmark compares: Mesh Academy's own (started as a child
// process, exactly as `mesh-academy serve` runs) and the reference bash-on-a-pty server.
import WebSocket from "ws";
import { TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, terminalPath } from "../server/terminal/protocol.ts";
import type { ServerMessage } from "../server/terminal/protocol.ts";
import { descendantPids, startReferenceTerminalServer } from "./reference-terminal-server.ts";
import { residentBytes, totalResidentBytes } from "./process-memory.ts";
import { spawnSiteServer } from "../tests/support/spawn-site-server.ts";

export interface TerminalClient {
  send(keys: string): void;
  /** Everything the terminal printed so far. */
  output(): string;
  /** Resolves once `predicate` holds for the output printed since `from`. */
  waitFor(from: number, predicate: (text: string) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export interface TerminalTarget {
  readonly name: string;
  connect(): Promise<TerminalClient>;
  memoryBytes(): number;
  close(): Promise<void>;
}

class OutputWaiter {
  text = "";
  private waiters: Array<() => void> = [];

  append(chunk: string): void {
    this.text += chunk;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  waitFor(from: number, predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for terminal output; got ${JSON.stringify(this.text.slice(from).slice(-200))}`)), timeoutMs);
      const check = (): void => {
        if (predicate(this.text.slice(from))) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
}

export async function startMeshAcademyTarget(sessions: number): Promise<TerminalTarget> {
  const { child, url: base } = await spawnSiteServer({
    SESSIONS_PER_CLIENT: String(sessions + 10),
    SESSIONS_MAX: String(sessions + 10),
  });
  return {
    name: "Mesh Academy (just-bash shell, WebSocket protocol)",
    async connect() {
      const response = await fetch(`${base}/api/sessions`, { method: "POST" });
      if (response.status !== 201) throw new Error(`session create failed: ${response.status} ${await response.text()}`);
      const { id, token } = (await response.json()) as { id: string; token: string };
      const socket = new WebSocket(`${base.replace("http", "ws")}${terminalPath(id)}`, [TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token], {
        origin: base,
      });
      const output = new OutputWaiter();
      socket.on("message", (raw) => {
        const message = JSON.parse(raw.toString()) as ServerMessage;
        if (message.type === "data") output.append(message.data);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
      socket.send(JSON.stringify({ type: "resume", offset: 0 }));
      socket.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
      return {
        send: (keys) => socket.send(JSON.stringify({ type: "data", data: keys })),
        output: () => output.text,
        waitFor: (from, predicate, timeoutMs) => output.waitFor(from, predicate, timeoutMs),
        close: () => socket.close(),
      };
    },
    memoryBytes: () => (child.pid === undefined ? 0 : residentBytes(child.pid) + totalResidentBytes(descendantPids(child.pid))),
    async close() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export async function startReferenceTarget(): Promise<TerminalTarget> {
  const server = await startReferenceTerminalServer();
  return {
    name: "reference (ws + bash on a pty via script)",
    async connect() {
      const socket = new WebSocket(server.url);
      const output = new OutputWaiter();
      socket.on("message", (raw) => output.append(raw.toString()));
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
      return {
        send: (keys) => socket.send(keys),
        output: () => output.text,
        waitFor: (from, predicate, timeoutMs) => output.waitFor(from, predicate, timeoutMs),
        close: () => socket.close(),
      };
    },
    // The reference runs in this process: count its share as the children it started.
    memoryBytes: () => totalResidentBytes(server.childPids()),
    close: () => server.close(),
  };
}
