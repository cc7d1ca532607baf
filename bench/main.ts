// `npm run bench`: prints Mesh Academy's figures beside a reference measured in the same run.
// Flags: --sessions N (default 50).
import { parseArgs } from "node:util";
import { measureCluster } from "./cluster-bench.ts";
import { measureDashboard } from "./dashboard-bench.ts";
import { measureChecks } from "./checks-bench.ts";
import { measureMesh } from "./mesh-bench.ts";
import { measureProgressWrites } from "./progress-writes-bench.ts";
import { measureTerminal, summarise } from "./terminal-bench.ts";
import { measureWorkstation } from "./workstation-bench.ts";
import { startMeshAcademyTarget, startReferenceTarget } from "./terminal-targets.ts";

const { values } = parseArgs({ options: { sessions: { type: "string", default: "50" } } });
const sessions = Number(values.sessions);
if (!Number.isInteger(sessions) || sessions < 1) {
  process.stderr.write(`--sessions must be a positive whole number, got ${values.sessions}\n`);
  process.exit(2);
}

process.stdout.write(`Terminal: ${sessions} concurrent sessions\n`);
const ours = await startMeshAcademyTarget(sessions);
const oursFigures = summarise(await measureTerminal(ours, sessions));
await ours.close();
const reference = await startReferenceTarget();
const referenceFigures = summarise(await measureTerminal(reference, sessions));
await reference.close();

printTable(["figure", "Mesh Academy", "reference bash/pty"], Object.keys(oursFigures).map((figure) => [
  figure,
  (oursFigures[figure] ?? Number.NaN).toFixed(2),
  (referenceFigures[figure] ?? Number.NaN).toFixed(2),
]));

const cluster = await measureCluster();
process.stdout.write(`\nEmulated cluster (Bookinfo from the ${cluster.manifestSource}; reference: plain Node http serving the same JSON)\n`);
printTable(["figure", "Mesh Academy", "reference node:http"], cluster.figures.map((row) => [row.figure, row.ours, row.reference]));

const workstation = await measureWorkstation();
process.stdout.write("\nLearner shell (echo reference: Node readline over a PassThrough; kubectl reference: the real kubectl on PATH, same cluster)\n");
printTable(["figure", "Mesh Academy", "reference"], workstation.map((row) => [row.figure, row.ours, row.reference]));

const mesh = await measureMesh();
process.stdout.write("\nIstio in the embedded sandbox (instant profile; references measured alongside)\n");
printTable(["figure", "Mesh Academy", "reference"], mesh.map((row) => [row.figure, row.ours, row.reference]));

const checks = await measureChecks();
process.stdout.write("\nLesson checks (instant profile)\n");
printTable(["figure", "Mesh Academy", "reference"], checks.map((row) => [row.figure, row.ours, row.reference]));

const progressWrites = await measureProgressWrites(sessions);
process.stdout.write("\nLearners' progress (durable completions; the HTTP clients run in the same process)\n");
printTable(["figure", "Mesh Academy", "reference"], progressWrites.map((row) => [row.figure, row.ours, row.reference]));

const dashboard = await measureDashboard(500);
process.stdout.write("\nInstructor's dashboard (recorded completion → row on the dashboard socket; reference: ws echo round trip)\n");
printTable(["figure", "Mesh Academy", "reference"], dashboard.map((row) => [row.figure, row.ours, row.reference]));

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  process.stdout.write(`${line(header)}\n${rows.map(line).join("\n")}\n`);
}
