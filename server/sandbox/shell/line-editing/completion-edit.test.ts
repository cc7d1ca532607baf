import { test } from "node:test";
import assert from "node:assert/strict";
import type { CompletionResult } from "../completion/shell-completer.ts";
import { completionEdit, quoteWord } from "./completion-edit.ts";

function result(word: string, start: number, values: string[], quote?: "'" | '"'): CompletionResult {
  const made: CompletionResult = { start, word, candidates: values.map((value) => ({ value, display: value })) };
  if (quote !== undefined) made.quote = quote;
  return made;
}

test("a single candidate is inserted whole, with a space unless it is a directory or --flag=", () => {
  assert.deepEqual(completionEdit("cat fi", 6, result("fi", 4, ["file.txt"]), false), { kind: "replace", line: "cat file.txt ", cursor: 13 });
  assert.deepEqual(completionEdit("cd sa", 5, result("sa", 3, ["samples/"]), false), { kind: "replace", line: "cd samples/", cursor: 11 });
  assert.deepEqual(completionEdit("kubectl get --out", 17, result("--out", 12, ["--output="]), false), {
    kind: "replace",
    line: "kubectl get --output=",
    cursor: 21,
  });
  // Text after the cursor stays; no second space before one already there.
  assert.deepEqual(completionEdit("cat fi -n", 6, result("fi", 4, ["file.txt"]), false), { kind: "replace", line: "cat file.txt -n", cursor: 12 });
});

test("several candidates complete to their common prefix; a Tab after a Tab lists them", () => {
  const many = result("al", 4, ["alpha-one", "alpha-two"]);
  assert.deepEqual(completionEdit("cat al", 6, many, false), { kind: "replace", line: "cat alpha-", cursor: 10 });
  const stuck = result("alpha-", 4, ["alpha-one", "alpha-two"]);
  assert.deepEqual(completionEdit("cat alpha-", 10, stuck, false), { kind: "none" });
  assert.deepEqual(completionEdit("cat alpha-", 10, stuck, true), { kind: "list", items: ["alpha-one", "alpha-two"] });
  assert.deepEqual(completionEdit("cat x", 5, result("x", 4, []), true), { kind: "none" });
});

test("the completed word keeps the learner's quoting, else special characters get backslashes", () => {
  assert.deepEqual(completionEdit("cat my\\ d", 9, result("my d", 4, ["my dir/a b.txt"]), false), {
    kind: "replace",
    line: "cat my\\ dir/a\\ b.txt ",
    cursor: 21,
  });
  assert.deepEqual(completionEdit("cat 'my d", 9, result("my d", 4, ["my dir/x"], "'"), false), { kind: "replace", line: "cat 'my dir/x' ", cursor: 15 });
  assert.equal(quoteWord("~/a b", undefined, true), "~/a\\ b");
  assert.equal(quoteWord("it's", "'", true), "'it'\\''s'");
  assert.equal(quoteWord('a"$b', '"', false), '"a\\"\\$b');
  assert.equal(quoteWord("x(1)&;*", undefined, true), "x\\(1\\)\\&\\;\\*");
});

test("verbatim candidates (variables) go in as they are, inside the learner's open quote", () => {
  const variable = { ...result("$HO", 5, ["$HOME"]), verbatim: true };
  assert.deepEqual(completionEdit("echo $HO", 8, variable, false), { kind: "replace", line: "echo $HOME ", cursor: 11 });
  const quoted = { ...result("$H", 5, ["$HOME", "$HOSTNAME"], '"'), verbatim: true };
  assert.deepEqual(completionEdit('echo "$H', 8, quoted, false), { kind: "replace", line: 'echo "$HO', cursor: 9 });
});
