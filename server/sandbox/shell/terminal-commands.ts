// `stty`, `tput` and `clear` for the sandbox: the interpreter has no real TTY, so the
// terminal size comes from COLUMNS / LINES, which the shell keeps in step with resizes.
import { defineCommand } from "just-bash";
import type { Command, ExecResult } from "just-bash";

const CLEAR_SCREEN = "\x1b[H\x1b[2J\x1b[3J";

function ok(stdout: string): ExecResult {
  return { stdout, stderr: "", exitCode: 0 };
}

function fail(stderr: string, exitCode = 1): ExecResult {
  return { stdout: "", stderr, exitCode };
}

function size(env: Map<string, string>): { cols: number; rows: number } {
  const cols = Number.parseInt(env.get("COLUMNS") ?? "", 10);
  const rows = Number.parseInt(env.get("LINES") ?? "", 10);
  return { cols: cols > 0 ? cols : 80, rows: rows > 0 ? rows : 24 };
}

const stty = defineCommand("stty", async (args, ctx) => {
  const { cols, rows } = size(ctx.env);
  if (args[0] === "size") return ok(`${rows} ${cols}\n`);
  if (args.length === 0 || args[0] === "-a") {
    return ok(`speed 38400 baud; rows ${rows}; columns ${cols}; line = 0;\n`);
  }
  // Mode changes (`stty -echo`, `stty sane`, …) have nothing to act on here; accept them
  // quietly so scripts written for a real terminal keep working.
  return ok("");
});

const SGR: Record<string, string> = {
  sgr0: "\x1b(B\x1b[m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  smul: "\x1b[4m",
  rmul: "\x1b[24m",
  rev: "\x1b[7m",
  smso: "\x1b[7m",
  rmso: "\x1b[27m",
  civis: "\x1b[?25l",
  cnorm: "\x1b[?12l\x1b[?25h",
  el: "\x1b[K",
  ed: "\x1b[J",
  home: "\x1b[H",
  reset: "\x1bc",
  clear: CLEAR_SCREEN,
};

const tput = defineCommand("tput", async (args, ctx) => {
  const [capability, ...params] = args.filter((arg) => !arg.startsWith("-T"));
  if (capability === undefined) return fail("tput: usage: tput [-T term] capname [params]\n", 2);
  const { cols, rows } = size(ctx.env);
  switch (capability) {
    case "cols":
      return ok(`${cols}\n`);
    case "lines":
      return ok(`${rows}\n`);
    case "colors":
      return ok("256\n");
    case "longname":
      return ok("xterm with 256 colors");
    case "setaf":
    case "setab": {
      const color = Number.parseInt(params[0] ?? "", 10);
      if (!(color >= 0 && color <= 255)) return fail(`tput: ${capability}: missing or invalid color\n`);
      const base = capability === "setaf" ? 38 : 48;
      return ok(color < 8 ? `\x1b[${base - 8 + color}m` : `\x1b[${base};5;${color}m`);
    }
    case "cup": {
      const row = Number.parseInt(params[0] ?? "0", 10) || 0;
      const col = Number.parseInt(params[1] ?? "0", 10) || 0;
      return ok(`\x1b[${row + 1};${col + 1}H`);
    }
    default: {
      const sequence = SGR[capability];
      if (sequence === undefined) return fail(`tput: unknown terminfo capability '${capability}'\n`, 4);
      return ok(sequence);
    }
  }
});

const clear = defineCommand("clear", async () => ok(CLEAR_SCREEN));

export const terminalCommands: Command[] = [stty, tput, clear];
