// `mesh-academy start`: build the site when it is missing or older than its sources, then
// serve it. This is what `npm start` runs.
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import type { CliCommand } from "./cli-command.ts";
import { projectPaths } from "./project-paths.ts";
import { serve } from "./serve-command.ts";
import { buildSite, staleReason } from "./site-build.ts";

export const startCommand: CliCommand = {
  name: "start",
  summary: "Build the site if it changed, then serve it (the usual way to run Mesh Academy)",
  async run() {
    const config = loadConfig(process.env);
    const logger = createLogger({ level: config.log.level });
    const reason = await staleReason(projectPaths);
    if (reason) {
      logger.info("building first", { reason });
      await buildSite(projectPaths, logger.child({ component: "build" }));
    } else {
      logger.info("the built site is current, skipping the build");
    }
    return serve(config, logger);
  },
};
