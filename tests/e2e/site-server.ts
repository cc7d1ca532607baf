// Starts `mesh-academy serve` on a free port for a browser test, and can kill and restart
// it on the same port (to test what a learner sees when the server restarts).
import type { ChildProcess } from "node:child_process";
import { spawnSiteServer } from "../support/spawn-site-server.ts";

export class SiteServer {
  url = "";
  private child: ChildProcess | undefined;
  private port = 0;
  private readonly env: Record<string, string>;

  constructor(env: Record<string, string> = {}) {
    this.env = env;
  }

  async start(): Promise<string> {
    const { child, url } = await spawnSiteServer({ PORT: String(this.port), SESSIONS_PER_CLIENT: "50", ...this.env });
    this.child = child;
    this.url = url;
    this.port = Number(new URL(url).port);
    return url;
  }

  /** SIGKILL: no graceful shutdown, as when a machine dies. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
