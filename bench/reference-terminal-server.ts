// The yardstick for the terminal benchmark: the smallest honest terminal server, a `ws`
// server that gives every connection a real bash on a real pty. util-linux `script`
// allocates the pty, so no native addon is needed. Not part of the product.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { WebSocketServer } from "ws";

export interface ReferenceServer {
  url: string;
  /** Process ids of every `script` and `bash` started, for memory accounting. */
  childPids(): number[];
  close(): Promise<void>;
}

export async function startReferenceTerminalServer(): Promise<ReferenceServer> {
  const children = new Set<ChildProcess>();
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (socket) => {
    const child = spawn("script", ["-qfc", "bash --norc --noprofile -i", "/dev/null"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", PS1: "$ ", HOME: "/tmp" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    children.add(child);
    child.stdout?.on("data", (chunk: Buffer) => socket.send(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => socket.send(chunk.toString("utf8")));
    child.on("exit", () => {
      children.delete(child);
      socket.close();
    });
    socket.on("message", (data) => child.stdin?.write(data.toString()));
    socket.on("close", () => child.kill("SIGKILL"));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error("reference server has no port");
  return {
    url: `ws://127.0.0.1:${address.port}/`,
    childPids() {
      const pids: number[] = [];
      for (const child of children) {
        if (child.pid === undefined) continue;
        pids.push(child.pid, ...descendantPids(child.pid));
      }
      return pids;
    },
    async close() {
      for (const child of children) child.kill("SIGKILL");
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export function descendantPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) found.push(Number(entry), ...descendantPids(Number(entry)));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
