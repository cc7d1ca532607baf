import { test } from "node:test";
import assert from "node:assert/strict";
import { ContinuationLines } from "./continuation-lines.ts";

function feed(lines: string[]): boolean[] {
  const collected = new ContinuationLines();
  return lines.map((line) => {
    collected.add(line);
    return collected.needsMore();
  });
}

test("a here-document needs more until its delimiter line, then the command is whole", () => {
  assert.deepEqual(feed(["cat <<EOF", "a", "EOF and more", "EOF"]), [true, true, true, false]);
});

test("several here-documents on one line, and <<- with tabs, end at their own delimiters", () => {
  assert.deepEqual(feed(["cat <<A <<B", "A", "B"]), [true, true, false]);
  assert.deepEqual(feed(["cat <<-END", "\tbody", "\tEND"]), [true, true, false]);
});

test("open quotes and trailing pipes are decided by parsing, line by line", () => {
  assert.deepEqual(feed(['echo "a', 'b"']), [true, false]);
  assert.deepEqual(feed(["echo a |", "wc -l"]), [true, false]);
});

test("length and script are the lines joined by newlines; clear starts over", () => {
  const collected = new ContinuationLines();
  assert.equal(collected.empty, true);
  collected.add("cat <<EOF");
  collected.add("x");
  assert.equal(collected.script(), "cat <<EOF\nx");
  assert.equal(collected.length, "cat <<EOF\nx".length);
  assert.equal(collected.needsMore(), true);
  collected.clear();
  assert.equal(collected.empty, true);
  assert.equal(collected.length, 0);
  collected.add("echo done");
  assert.equal(collected.needsMore(), false);
});

test("a here-document of 100 000 lines stays open whatever its body holds, until its delimiter", () => {
  const collected = new ContinuationLines();
  collected.add("cat <<'EOF'");
  assert.equal(collected.needsMore(), true);
  let open = 0;
  for (let i = 0; i < 100_000; i++) {
    collected.add(i % 2 === 0 ? `line ${i} with $(unbalanced "quote` : ` EOF`);
    if (collected.needsMore()) open++;
  }
  assert.equal(open, 100_000);
  collected.add("EOF");
  assert.equal(collected.needsMore(), false);
  assert.equal(collected.script().split("\n").length, 100_002);
});
