// `mesh-academy serve`: serve dist/ as it is, without building.
import { stat } from "node:fs/promises";
import type { Config } from "../config/config.ts";
import { loadConfig } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { createLogger } from "../log/logger.ts";
import { exitOnSignals, startServer } from "../main.ts";
import type { CliCommand } from "./cli-command.ts";
import { projectPaths } from "./project-paths.ts";

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Serve the built site from dist/ without building",
  async run() {
    const config = loadConfig(process.env);
    const logger = createLogger({ level: config.log.level });
    return serve(config, logger);
  },
};

/** Serves until SIGTERM/SIGINT; resolves to the exit code after a graceful shutdown. */
export async function serve(config: Config, logger: Logger): Promise<number> {
  const dist = await stat(projectPaths.dist).catch(() => undefined);
  if (!dist?.isDirectory()) {
    logger.warn("dist/ does not exist: pages will answer 404 until the site is built (mesh-academy build)");
  }
  const running = await startServer({ config, logger, siteRoot: projectPaths.dist });
  logger.announce(`listening on ${running.url}`, {
    url: running.url,
    provider: config.sandbox.provider,
  });
  return new Promise<number>((resolve) => exitOnSignals(running, logger, resolve));
}
