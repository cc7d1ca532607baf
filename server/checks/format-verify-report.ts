// `verify` reports: pretty for people, json for tools, JUnit XML for CI systems
// (one test suite per lesson, one test case per step, a failure element per problem).
// A lesson skipped on purpose (it needs a cluster of its own) says why in each of them.
import type { LessonReport, VerifyFailure } from "./verify-lesson.ts";

export type VerifyReporter = "pretty" | "json" | "junit";
export const VERIFY_REPORTERS: readonly VerifyReporter[] = ["pretty", "json", "junit"];

export function formatVerifyReport(reports: readonly LessonReport[], reporter: VerifyReporter): string {
  if (reporter === "json") {
    const skipped = reports.filter((r) => r.skipped !== undefined).length;
    return `${JSON.stringify({ passed: reports.every((r) => r.passed), skipped, lessons: reports }, null, 2)}\n`;
  }
  if (reporter === "junit") return junit(reports);
  return pretty(reports);
}

function indent(text: string, prefix: string): string {
  return text.replace(/\s+$/, "").split("\n").map((line) => `${prefix}${line}`).join("\n");
}

function describeFailure(failure: VerifyFailure): string {
  const lines = [`✘ ${failure.step !== undefined ? `step ${failure.step}: ` : ""}[${failure.code}] ${failure.message}`];
  if (failure.command !== undefined) lines.push(`    command:\n${indent(failure.command, "      $ ")}`);
  if (failure.expected !== undefined) lines.push(`    shown:\n${indent(failure.expected, "      | ")}`);
  if (failure.actual !== undefined) lines.push(`    printed:\n${indent(failure.actual || "(nothing)", "      | ")}`);
  return lines.join("\n");
}

function pretty(reports: readonly LessonReport[]): string {
  const out: string[] = [];
  for (const report of reports) {
    if (report.skipped !== undefined) {
      out.push(`- ${report.lesson} — ${report.title} (skipped: ${report.skipped})`);
      continue;
    }
    out.push(`${report.passed ? "✔" : "✘"} ${report.lesson} — ${report.title} (${Math.round(report.durationMs)} ms)`);
    for (const step of report.steps) out.push(`  ${step.status === "passed" ? "✔" : step.status === "skipped" ? "-" : "✘"} ${step.id}: ${step.title}${step.status === "skipped" ? " (skipped)" : ""}`);
    for (const failure of report.failures) out.push(indent(describeFailure(failure), "  "));
  }
  const failed = reports.filter((report) => !report.passed).length;
  const skipped = reports.filter((report) => report.skipped !== undefined).length;
  const ran = reports.length - skipped;
  const verdict = failed === 0 ? `${ran} lesson${ran === 1 ? "" : "s"} verified` : `${failed} of ${ran} lessons failed`;
  out.push("", skipped === 0 ? verdict : `${verdict}, ${skipped} skipped`);
  return `${out.join("\n")}\n`;
}

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters, even escaped; terminal output may hold some.
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "").replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}

function junit(reports: readonly LessonReport[]): string {
  const suites = reports.map((report) => {
    if (report.skipped !== undefined) {
      const open = `    <testcase classname="${xml(report.lesson)}" name="the whole lesson" time="0.000">`;
      return `  <testsuite name="${xml(report.lesson)}" tests="1" failures="0" skipped="1" time="0.000">\n${open}\n      <skipped message="${xml(report.skipped)}"/>\n    </testcase>\n  </testsuite>\n`;
    }
    const cases: { name: string; seconds: number; failures: VerifyFailure[]; skipped: boolean }[] = [];
    const general = report.failures.filter((failure) => failure.step === undefined);
    // Problems before any step: the lesson itself, its sandbox, or outputs shown before step 1.
    if (general.length > 0 || report.steps.length === 0) cases.push({ name: "before the first step", seconds: 0, failures: general, skipped: false });
    for (const step of report.steps) {
      cases.push({ name: `${step.id}: ${step.title}`, seconds: step.durationMs / 1000, failures: report.failures.filter((f) => f.step === step.id), skipped: step.status === "skipped" });
    }
    const body = cases
      .map((c) => {
        const inner = c.skipped
          ? `      <skipped/>\n`
          : c.failures.map((f) => `      <failure type="${xml(f.code)}" message="${xml(f.message)}">${xml(describeFailure(f))}</failure>\n`).join("");
        const open = `    <testcase classname="${xml(report.lesson)}" name="${xml(c.name)}" time="${c.seconds.toFixed(3)}"`;
        return inner === "" ? `${open}/>\n` : `${open}>\n${inner}    </testcase>\n`;
      })
      .join("");
    const failed = cases.filter((c) => c.failures.length > 0).length;
    const skipped = cases.filter((c) => c.skipped).length;
    return `  <testsuite name="${xml(report.lesson)}" tests="${cases.length}" failures="${failed}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">\n${body}  </testsuite>\n`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mesh-academy verify">\n${suites.join("")}</testsuites>\n`;
}
