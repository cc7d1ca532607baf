// Starts `mesh-academy serve` on a free port for a browser test, and can kill and restart
// it on the same port (to test what a learner sees when the server restarts).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export class SiteServer {
  url = "";
  private child: ChildProcess | undefined;
  private port = 0;
  private readonly env: Record<string, string>;

  constructor(env: Record<string, string> = {}) {
    this.env = env;
  }

  async start(): Promise<string> {
    const child = spawn(process.execPath, ["server/cli/main.ts", "serve"], {
      cwd: repoRoot,
      env: { ...process.env, HOST: "127.0.0.1", PORT: String(this.port), SESSIONS_PER_CLIENT: "50", LOG_LEVEL: "warn", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let seen = "";
      const onOutput = (chunk: Buffer): void => {
        seen += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      };
      child.stdout?.on("data", onOutput);
      child.stderr?.on("data", onOutput);
      child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${seen}`)));
    });
    this.port = Number(new URL(this.url).port);
    return this.url;
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
