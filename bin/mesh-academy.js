#!/usr/bin/env node
// Entry point of the `mesh-academy` command. Plain JavaScript so that an old Node can still
// run this far and say what to do instead of failing on TypeScript syntax.
const [major, minor] = process.versions.node.split(".").map(Number);
const supported = major > 22 || (major === 22 && minor >= 12);
// Node runs the server's TypeScript directly; versions without type stripping cannot.
const stripsTypes = Boolean(process.features && process.features.typescript);

if (!supported || !stripsTypes) {
  process.stderr.write(
    `mesh-academy needs Node.js 22.12 or newer with TypeScript type stripping (this is Node ${process.versions.node}).\n` +
      "Inside the project, run it with the Node version the project pins:\n" +
      "  npx mesh-academy start    or    npm start\n" +
      "or install Node.js 24 from https://nodejs.org/.\n",
  );
  process.exit(1);
}

const { runCli } = await import("../server/cli/main.ts");
process.exit(await runCli(process.argv.slice(2)));
