// `mesh-academy build`: the static site and its search index, without serving.
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import type { CliCommand } from "./cli-command.ts";
import { projectPaths } from "./project-paths.ts";
import { buildSite } from "./site-build.ts";

export const buildCommand: CliCommand = {
  name: "build",
  summary: "Build the site and its search index into dist/",
  async run() {
    const config = loadConfig(process.env);
    const logger = createLogger({ level: config.log.level, fields: { component: "build" } });
    await buildSite(projectPaths, logger);
    return 0;
  },
};
