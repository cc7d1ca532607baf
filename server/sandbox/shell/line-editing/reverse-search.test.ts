import { test } from "node:test";
import assert from "node:assert/strict";
import { ReverseSearch } from "./reverse-search.ts";

const HISTORY = ["kubectl get pods -n bookinfo", "echo hello", "kubectl get svc", "kubectl apply -f a.yaml"];

test("typing finds the newest entry containing the search string, the cursor on the match", () => {
  const search = new ReverseSearch(HISTORY, { line: "draft", cursor: 5 });
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`': ", line: "draft", cursor: 5 });
  search.type("g");
  search.type("et");
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`get': ", line: "kubectl get pods -n bookinfo", cursor: 8 });
  search.type(" s");
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`get s': ", line: "kubectl get svc", cursor: 8 });
});

test("Ctrl-R again moves to older matches, earlier in the same entry first; past the last it fails", () => {
  const search = new ReverseSearch(["a b a", "xa"], { line: "", cursor: 0 });
  search.type("a");
  assert.deepEqual(search.accepted(), { line: "a b a", cursor: 4 });
  search.older();
  assert.deepEqual(search.accepted(), { line: "a b a", cursor: 0 });
  search.older();
  assert.deepEqual(search.accepted(), { line: "xa", cursor: 1 });
  assert.equal(search.failed, false);
  search.older();
  assert.equal(search.failed, true);
  assert.equal(search.view().prompt, "(failed reverse-i-search)`a': ");
  assert.deepEqual(search.accepted(), { line: "xa", cursor: 1 });
});

test("Backspace returns to the state before the last character; a failed search keeps the last match", () => {
  const search = new ReverseSearch(HISTORY, { line: "", cursor: 0 });
  search.type("apply");
  search.type("z");
  assert.deepEqual(search.view(), { prompt: "(failed reverse-i-search)`applyz': ", line: "kubectl apply -f a.yaml", cursor: 8 });
  search.backspace();
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`apply': ", line: "kubectl apply -f a.yaml", cursor: 8 });
  search.backspace();
  search.backspace();
  search.backspace();
  search.backspace();
  search.backspace();
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`': ", line: "", cursor: 0 });
  assert.deepEqual(search.original, { line: "", cursor: 0 });
});

test("Ctrl-R on an empty search takes up the previous search's string", () => {
  const search = new ReverseSearch(HISTORY, { line: "", cursor: 0 }, "hello");
  search.older();
  assert.deepEqual(search.view(), { prompt: "(reverse-i-search)`hello': ", line: "echo hello", cursor: 5 });
  const fresh = new ReverseSearch(HISTORY, { line: "x", cursor: 1 });
  fresh.older();
  assert.deepEqual(fresh.view(), { prompt: "(reverse-i-search)`': ", line: "x", cursor: 1 });
});
