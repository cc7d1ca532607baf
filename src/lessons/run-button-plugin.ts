import { definePlugin } from "astro-expressive-code";
import type { ExpressiveCodePlugin } from "astro-expressive-code";
import { h } from "astro-expressive-code/hast";

/** Languages whose code blocks are commands for the learner's shell. */
export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set(["bash", "sh", "shell", "console", "shellsession"]);

// Session transcripts mix prompts and output; only prompted lines are commands.
const TRANSCRIPT_LANGUAGES: ReadonlySet<string> = new Set(["console", "shellsession"]);

/** The attribute the browser script reads; its value is exactly what the terminal will run. */
export const RUN_COMMAND_ATTRIBUTE = "data-run-command";

/**
 * The text a Run button sends for a block. A whole block runs as one script, so heredocs and
 * line continuations keep working; `console` transcripts contribute only their `$ ` lines.
 * Returns undefined when the block holds nothing to run.
 */
export function commandForBlock(language: string, code: string): string | undefined {
  const command = TRANSCRIPT_LANGUAGES.has(language)
    ? code
        .split("\n")
        .filter((line) => /^\s*\$ /.test(line))
        .map((line) => line.replace(/^\s*\$ /, ""))
        .join("\n")
    : code;
  const trimmed = command.replace(/\s+$/, "");
  return trimmed.trim() === "" ? undefined : trimmed;
}

/**
 * Adds a real "Run" button to every shell code block. Authors opt a block out with the meta
 * flag `norun` (```bash norun), e.g. for commands meant for the learner's own machine.
 */
export function pluginRunButton(): ExpressiveCodePlugin {
  return definePlugin({
    name: "mesh-academy-run-button",
    baseStyles: `
      .frame:has(> .run) { position: relative; }
      .run {
        position: absolute;
        inset-block-start: 0.25rem;
        inset-inline-end: 0.5rem;
        z-index: 1;
      }
      .run button {
        all: revert;
        font: 600 0.8rem/1 system-ui, sans-serif;
        padding: 0.3rem 0.7rem;
        border-radius: 999px;
        border: 1px solid var(--run-border, currentColor);
        background: var(--run-bg, #1f6feb);
        color: var(--run-fg, #fff);
        cursor: pointer;
      }
      .run button:hover { filter: brightness(1.1); }
      .run button:focus-visible { outline: 3px solid var(--focus-ring, #ffbf47); outline-offset: 2px; }
      .run button[data-state="sent"] { background: var(--run-sent-bg, #1a7f37); }
    `,
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!RUNNABLE_LANGUAGES.has(codeBlock.language)) return;
        if (codeBlock.metaOptions.getBoolean("norun") === true) return;
        const command = commandForBlock(codeBlock.language, codeBlock.code);
        if (command === undefined) return;
        const button = h(
          "button",
          {
            type: "button",
            "aria-label": "Run in terminal",
            title: "Run this in your terminal",
            [RUN_COMMAND_ATTRIBUTE]: command,
          },
          "Run",
        );
        renderData.blockAst.children.push(h("div", { className: "run" }, [button]));
      },
    },
  });
}
