// The outputs a lesson shows: `console` blocks of its MDX, where `$ ` lines are commands and
// the lines after each are what it printed. `verify` runs them and compares tolerantly.
//
// ```console step=label-namespace
// $ kubectl get namespace shop --show-labels
// NAME   STATUS   AGE   LABELS
// shop   Active   5s    istio-injection=enabled,kubernetes.io/metadata.name=shop
// ```
//
// `step=ID` runs the block after that step is solved; blocks without it run before the first
// step. `unordered` lets lines come in any order; `noverify` (or `norun`) skips the block.

export interface ShownCommand {
  command: string;
  /** The lines the lesson shows after the command; undefined when it shows none. */
  output: string | undefined;
  /** 1-based line of the `$ ` line in the MDX file. */
  line: number;
}

export interface ShownBlock {
  step: string | undefined;
  unordered: boolean;
  line: number;
  commands: ShownCommand[];
}

const TRANSCRIPTS = new Set(["console", "shellsession"]);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/;

function metaValue(meta: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${key}=(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(meta);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function metaFlag(meta: string, key: string): boolean {
  return new RegExp(`(?:^|\\s)${key}(?:=true)?(?=\\s|$)`).test(meta);
}

export function extractShownOutputs(mdx: string): ShownBlock[] {
  const lines = mdx.split(/\r?\n/);
  const blocks: ShownBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index] ?? "");
    if (!open) continue;
    const [, indent = "", fence = "", language = "", meta = ""] = open;
    const body: { text: string; line: number }[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? "";
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "") break;
      body.push({ text: line.startsWith(indent) ? line.slice(indent.length) : line, line: end + 1 });
    }
    const skipped = metaFlag(meta, "noverify") || metaFlag(meta, "norun");
    if (TRANSCRIPTS.has(language) && !skipped) {
      const commands = transcriptCommands(body);
      if (commands.length > 0) blocks.push({ step: metaValue(meta, "step"), unordered: metaFlag(meta, "unordered"), line: index + 1, commands });
    }
    index = end;
  }
  return blocks;
}

function transcriptCommands(body: readonly { text: string; line: number }[]): ShownCommand[] {
  const commands: ShownCommand[] = [];
  let current: { command: string; output: string[]; line: number; continued: boolean } | undefined;
  const flush = () => {
    if (!current) return;
    const output = current.output.join("\n").replace(/\s+$/, "");
    commands.push({ command: current.command, output: output === "" ? undefined : output, line: current.line });
  };
  for (const { text, line } of body) {
    if (current?.continued) {
      // A command continued with a trailing backslash, shown as bash shows it (`> ` optional).
      current.command += `\n${text.replace(/^> /, "")}`;
      current.continued = text.endsWith("\\");
      continue;
    }
    const prompt = /^\s*\$ (.*)$/.exec(text);
    if (prompt) {
      flush();
      const command = prompt[1] ?? "";
      current = { command, output: [], line, continued: command.endsWith("\\") };
    } else if (current) {
      current.output.push(text);
    }
  }
  flush();
  return commands;
}
