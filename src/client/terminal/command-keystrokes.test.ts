import { test } from "node:test";
import assert from "node:assert/strict";
import { commandKeystrokes } from "./command-keystrokes.ts";

test("a one-line command is typed and followed by Enter", () => {
  assert.equal(commandKeystrokes("kubectl get pods"), "kubectl get pods\r");
});

test("every kind of line break becomes the Enter key", () => {
  assert.equal(commandKeystrokes("a\nb\r\nc\rd"), "a\rb\rc\rd\r");
});

test("a heredoc keeps its lines and indentation", () => {
  const command = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nEOF";
  assert.equal(
    commandKeystrokes(command),
    "kubectl apply -f - <<EOF\rapiVersion: v1\rkind: Namespace\rmetadata:\r  name: demo\rEOF\r",
  );
});

test("trailing line breaks do not press Enter twice", () => {
  assert.equal(commandKeystrokes("ls\n"), "ls\r");
  assert.equal(commandKeystrokes("ls\r\n\n"), "ls\r");
});

test("blank lines inside a command are kept", () => {
  assert.equal(commandKeystrokes("echo a\n\necho b"), "echo a\r\recho b\r");
});

test("an empty or blank command types nothing", () => {
  assert.equal(commandKeystrokes(""), "");
  assert.equal(commandKeystrokes("  \n\n"), "");
});
