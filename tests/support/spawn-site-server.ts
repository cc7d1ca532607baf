// Starts `mesh-academy serve` as a child process and resolves with its URL once it listens
// (read from its "listening" line, which names the real port when PORT=0).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface SiteProcess {
  child: ChildProcess;
  url: string;
}

export async function spawnSiteServer(env: Record<string, string>): Promise<SiteProcess> {
  const child = spawn(process.execPath, ["server/cli/main.ts", "serve"], {
    cwd: repoRoot,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
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
  return { child, url };
}
