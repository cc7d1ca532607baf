import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCompletionContext } from "./completion-context.ts";

const at = (line: string) => parseCompletionContext(line, line.length);

test("the words of the command being typed, the partial word and where it starts", () => {
  assert.deepEqual(at("kubectl get po"), { words: ["kubectl", "get"], word: "po", start: 12, redirect: false });
  assert.deepEqual(at("kubectl get "), { words: ["kubectl", "get"], word: "", start: 12, redirect: false });
  assert.deepEqual(at(""), { words: [], word: "", start: 0, redirect: false });
  // Only the text before the cursor counts.
  assert.deepEqual(parseCompletionContext("cat fil -n", 7), { words: ["cat"], word: "fil", start: 4, redirect: false });
});

test("a command separator or an opening substitution starts a new command", () => {
  assert.deepEqual(at("cd x && kub").words, []);
  assert.deepEqual(at("echo $(kubectl g").words, ["kubectl"]);
  assert.deepEqual(at("ls | grep -v a").words, ["grep", "-v"]);
  assert.deepEqual(at("a; b\nc d").words, ["c"]);
});

test("quotes and backslashes are removed; an open quote is reported", () => {
  assert.deepEqual(at("cat 'my dir'/a\\ b"), { words: ["cat"], word: "my dir/a b", start: 4, redirect: false });
  assert.deepEqual(at('echo "a \\"b\\" $x'), { words: ["echo"], word: 'a "b" $x', start: 5, quote: '"', redirect: false });
  assert.deepEqual(at("cat 'it"), { words: ["cat"], word: "it", start: 4, quote: "'", redirect: false });
});

test("a redirection's target is a file and not a word of the command; 2>&1 is no word at all", () => {
  assert.deepEqual(at("kubectl get pods > out"), { words: ["kubectl", "get", "pods"], word: "out", start: 19, redirect: true });
  assert.deepEqual(at("kubectl get pods 2>&1 -o "), { words: ["kubectl", "get", "pods", "-o"], word: "", start: 25, redirect: false });
  assert.deepEqual(at("sort < in.txt -r").words, ["sort"]);
  assert.equal(at("cat >").redirect, true);
});
