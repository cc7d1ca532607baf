import { test } from "node:test";
import assert from "node:assert/strict";
import { needsMoreInput } from "./command-completeness.ts";

test("whole commands run at once", () => {
  for (const script of [
    "echo hi",
    "echo 'a b' \"c\"",
    "cat <<EOF\nhello\nEOF",
    "kubectl apply -f - <<EOF | cat\nkind: Pod\nEOF",
    "if true; then echo y; fi",
    "echo a\\\\",
    "echo a \\| b",
    "",
  ]) {
    assert.equal(needsMoreInput(script), false, JSON.stringify(script));
  }
});

test("unfinished commands ask for another line", () => {
  for (const script of [
    "echo 'abc",
    'echo "abc',
    "echo abc \\",
    "cat > f <<EOF",
    "cat > f <<EOF\nline",
    "kubectl apply -f - <<'EOF'\napiVersion: v1",
    "cat <<-EOF | grep x\n\tx",
    "if true; then",
    "for x in a b",
    "{ echo",
    "echo $(ls",
    "echo hi |",
    "echo hi &&",
    "false ||",
  ]) {
    assert.equal(needsMoreInput(script), true, JSON.stringify(script));
  }
});

test("syntax errors are complete, so the shell reports them", () => {
  assert.equal(needsMoreInput("echo ("), false);
  assert.equal(needsMoreInput("fi"), false);
});
