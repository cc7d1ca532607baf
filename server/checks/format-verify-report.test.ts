import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatVerifyReport } from "./format-verify-report.ts";
import type { LessonReport } from "./verify-lesson.ts";

const reports: LessonReport[] = [
  {
    lesson: "routing",
    title: "Routing",
    passed: false,
    durationMs: 1500,
    steps: [
      { id: "apply", title: "Apply <the> rule", status: "failed", durationMs: 1200 },
      { id: "check", title: "Check it", status: "skipped", durationMs: 0 },
    ],
    failures: [{ code: "solution-failed", lesson: "routing", step: "apply", command: "kubectl apply -f x.yaml", message: 'exit "1"', actual: "error: bad\x07 & worse\n" }],
  },
  { lesson: "welcome", title: "Welcome", passed: true, durationMs: 300, steps: [{ id: "a", title: "A", status: "passed", durationMs: 300 }], failures: [] },
];

describe("formatVerifyReport", () => {
  it("pretty: a line per lesson and step, the failure with its command and output, a summary", () => {
    assert.equal(
      formatVerifyReport(reports, "pretty"),
      [
        "✘ routing — Routing (1500 ms)",
        "  ✘ apply: Apply <the> rule",
        "  - check: Check it (skipped)",
        '  ✘ step apply: [solution-failed] exit "1"',
        "      command:",
        "        $ kubectl apply -f x.yaml",
        "      printed:",
        "        | error: bad\x07 & worse",
        "✔ welcome — Welcome (300 ms)",
        "  ✔ a: A",
        "",
        "1 of 2 lessons failed",
        "",
      ].join("\n"),
    );
  });

  it("junit: escaped names and messages, control characters dropped, skipped steps marked", () => {
    const xml = formatVerifyReport(reports, "junit");
    assert.match(xml, /<testsuite name="routing" tests="2" failures="1" skipped="1" time="1\.500">/);
    assert.match(xml, /<testcase classname="routing" name="apply: Apply &lt;the&gt; rule" time="1\.200">/);
    assert.match(xml, /<failure type="solution-failed" message="exit &quot;1&quot;">[^<]*error: bad &amp; worse/);
    assert.match(xml, /<testcase classname="routing" name="check: Check it" time="0\.000">\n {6}<skipped\/>/);
    assert.doesNotMatch(xml, /\x07/);
  });

  it("json: everything, with an overall verdict", () => {
    const parsed = JSON.parse(formatVerifyReport(reports, "json")) as { passed: boolean; lessons: LessonReport[] };
    assert.equal(parsed.passed, false);
    assert.deepEqual(parsed.lessons, reports);
  });
});

describe("formatVerifyReport with a lesson skipped on purpose", () => {
  const reason = 'Every learner\'s Gateway with hosts "*" binds the one ingress gateway & more.';
  const withSkipped: LessonReport[] = [
    { lesson: "gateways", title: "Gateways", passed: true, skipped: `needs a cluster of its own: ${reason}`, durationMs: 0, steps: [], failures: [] },
    { lesson: "welcome", title: "Welcome", passed: true, durationMs: 300, steps: [{ id: "a", title: "A", status: "passed", durationMs: 300 }], failures: [] },
  ];

  it("pretty: the lesson is marked skipped with its reason, and the summary counts it apart", () => {
    const text = formatVerifyReport(withSkipped, "pretty");
    assert.match(text, /^- gateways — Gateways \(skipped: needs a cluster of its own: Every learner's Gateway with hosts "\*"/m);
    assert.match(text, /\n1 lesson verified, 1 skipped\n$/);
    assert.doesNotMatch(text, /✘/);
  });

  it("junit: one skipped case whose message is the reason", () => {
    const xml = formatVerifyReport(withSkipped, "junit");
    assert.match(xml, /<testsuite name="gateways" tests="1" failures="0" skipped="1" time="0\.000">\n {4}<testcase classname="gateways" name="the whole lesson" time="0\.000">\n {6}<skipped message="needs a cluster of its own: Every learner&apos;s Gateway with hosts &quot;\*&quot; binds the one ingress gateway &amp; more\."\/>\n {4}<\/testcase>/);
    assert.match(xml, /<testsuite name="welcome" tests="1" failures="0" skipped="0"/);
  });

  it("json: the reason on the lesson, a count of skipped lessons, and an overall pass", () => {
    const parsed = JSON.parse(formatVerifyReport(withSkipped, "json")) as { passed: boolean; skipped: number; lessons: LessonReport[] };
    assert.equal(parsed.passed, true);
    assert.equal(parsed.skipped, 1);
    assert.equal(parsed.lessons[0]?.skipped, `needs a cluster of its own: ${reason}`);
  });
});
