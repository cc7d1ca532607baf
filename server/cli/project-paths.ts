// Where the project lives, independent of the directory the CLI was started from.
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = fileURLToPath(new URL("../../", import.meta.url));

export const projectPaths = {
  root,
  /** The built site the server serves. */
  dist: path.join(root, "dist"),
  /** Written after a successful build; `start` compares sources against it. */
  buildStamp: path.join(root, "dist", ".mesh-academy-build.json"),
  /** What the built site is made from: any change here means `start` rebuilds. */
  sources: ["src", "lessons", "content", "astro.config.mjs", "package.json"].map((p) => path.join(root, p)),
} as const;
