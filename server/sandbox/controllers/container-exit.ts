import { asArray, type JsonObject } from '../core/json-object.ts';

/** Commands that print something and return at once (`kubectl run x --image=busybox -- echo hi`). */
const QUICK_COMMANDS = new Set(['echo', 'printf', 'date', 'env', 'printenv', 'hostname', 'whoami', 'id', 'uname', 'pwd', 'ls', 'true']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** Images without an entrypoint: `kubectl run x --image=busybox -- date` runs `date`. */
const ARGS_AS_COMMAND = /^(?:docker\.io\/)?(?:library\/)?(?:busybox|alpine|ubuntu|debian|bash|fedora|centos)(?::[\w.-]+)?(?:@.*)?$/;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The exit code of a statement that ends the script, or undefined when it keeps running. */
function statementExit(statement: string): number | undefined {
  const words = statement.trim().split(/\s+/);
  const command = basename(words[0] ?? '');
  if (command === 'exit') {
    const code = Number(words[1] ?? 0);
    return Number.isInteger(code) ? ((code % 256) + 256) % 256 : 2;
  }
  if (command === 'false') return 1;
  if (QUICK_COMMANDS.has(command)) return 0;
  return undefined;
}

/** A `sh -c` script: the first top-level `exit`, or else how its last statement ends. */
function scriptExit(script: string): number | undefined {
  // Loops and conditionals make the control flow ours to guess: treat them as long-running.
  if (/\b(while|until|for|if|case|trap)\b|[|&]$/.test(script)) return undefined;
  const statements = script.split(/;|\n|&&/).map((s) => s.trim()).filter((s) => s !== '');
  for (const statement of statements) {
    if (/^exit(\s|$)/.test(statement)) return statementExit(statement);
  }
  const last = statements[statements.length - 1];
  return last === undefined ? 0 : statementExit(last);
}

/**
 * How a container's main process ends when its command says so plainly: `false`, `exit 3`
 * in a `sh -c` script, or a one-shot command such as `echo`/`date`. Undefined means it keeps
 * running (servers, `sleep`, images started without a command).
 */
export function containerExitCode(container: JsonObject): number | undefined {
  const argv = [...asArray(container.command), ...asArray(container.args)].map(String);
  // Without a command the image's entrypoint runs; only plain OS images run their args as is.
  if (asArray(container.command).length === 0 && (argv.length === 0 || !ARGS_AS_COMMAND.test(String(container.image ?? '')))) return undefined;
  const program = basename(argv[0] ?? '');
  if (SHELLS.has(program)) {
    const flag = argv.findIndex((arg, index) => index > 0 && /^-[a-z]*c[a-z]*$/.test(arg));
    const script = flag === -1 ? undefined : argv[flag + 1];
    // `sh` without a script reads stdin: it ends at once unless stdin is kept open.
    if (script === undefined) return container.stdin === true ? undefined : 0;
    return scriptExit(script);
  }
  return statementExit(argv.join(' '));
}
