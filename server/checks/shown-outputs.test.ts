import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { extractShownOutputs } from "./shown-outputs.ts";

const MDX = [
  "---",
  "title: x",
  "---",
  "```console",
  "$ echo hi",
  "hi",
  "$ kubectl apply -f a.yaml",
  "$ kubectl get pods \\",
  ">   -n shop",
  "NAME   READY",
  "web    1/1",
  "```",
  "",
  "```console step=label-it unordered",
  "$ kubectl get ns",
  "```",
  "",
  "```bash",
  "$ not a transcript",
  "```",
  "",
  "```console noverify",
  "$ date",
  "Tue",
  "```",
  "",
  "````md",
  "```console",
  "$ inside a four-backtick block",
  "```",
  "````",
].join("\n");

describe("extractShownOutputs", () => {
  it("finds console transcripts with their commands, outputs, steps and lines", () => {
    assert.deepEqual(extractShownOutputs(MDX), [
      {
        step: undefined,
        unordered: false,
        line: 4,
        commands: [
          { command: "echo hi", output: "hi", line: 5 },
          { command: "kubectl apply -f a.yaml", output: undefined, line: 7 },
          { command: "kubectl get pods \\\n  -n shop", output: "NAME   READY\nweb    1/1", line: 8 },
        ],
      },
      { step: "label-it", unordered: true, line: 14, commands: [{ command: "kubectl get ns", output: undefined, line: 15 }] },
    ]);
  });
});
