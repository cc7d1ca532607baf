import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExpressiveCodeEngine, pluginFrames } from "astro-expressive-code";
import { selectAll } from "astro-expressive-code/hast";
import { commandForBlock, pluginRunButton, RUN_COMMAND_ATTRIBUTE } from "./run-button-plugin.ts";

const engine = new ExpressiveCodeEngine({ plugins: [pluginFrames(), pluginRunButton()] });

async function runButtons(language: string, code: string, meta = "") {
  const { renderedGroupAst } = await engine.render({ code, language, meta });
  return selectAll(".run button", renderedGroupAst);
}

describe("pluginRunButton", () => {
  it("adds one labelled button carrying the whole block to a bash block", async () => {
    const code = 'cat <<EOF > hello.txt\nHello, mesh\nEOF\ncat hello.txt';
    const [button, ...rest] = await runButtons("bash", code);
    assert.equal(rest.length, 0);
    assert.ok(button);
    assert.equal(button.properties.type, "button");
    assert.equal(button.properties.ariaLabel, "Run in terminal");
    // hast stores data-run-command as dataRunCommand.
    assert.equal(RUN_COMMAND_ATTRIBUTE, "data-run-command");
    assert.equal(button.properties.dataRunCommand, code);
    assert.deepEqual(button.children, [{ type: "text", value: "Run" }]);
  });

  it("covers sh, shell and console blocks, and leaves other languages alone", async () => {
    for (const language of ["sh", "shell", "console"]) {
      assert.equal((await runButtons(language, "$ pwd")).length, 1, language);
    }
    for (const language of ["yaml", "js", "text"]) {
      assert.equal((await runButtons(language, "pwd")).length, 0, language);
    }
  });

  it("lets an author opt a block out with the norun flag", async () => {
    assert.equal((await runButtons("bash", "pwd", "norun")).length, 0);
    assert.equal((await runButtons("bash", "pwd", 'title="Your laptop" norun')).length, 0);
    assert.equal((await runButtons("bash", "pwd", "norun=false")).length, 1);
  });
});

describe("commandForBlock", () => {
  it("keeps a script as written, without trailing blank lines", () => {
    assert.equal(commandForBlock("bash", "echo one\n  echo two\n\n"), "echo one\n  echo two");
  });

  it("takes only the prompted lines of a console transcript", () => {
    assert.equal(commandForBlock("console", "$ ls ~/samples\nbookinfo\n$ pwd\n/home/learner"), "ls ~/samples\npwd");
  });

  it("has nothing to run for an empty block or a transcript without prompts", () => {
    assert.equal(commandForBlock("bash", " \n\n"), undefined);
    assert.equal(commandForBlock("console", "just output"), undefined);
  });
});
