// Output that reaches the terminal while a command still runs. The interpreter hands a
// command's output back only when it ends, which is right for pipes and substitutions but
// not for `kubectl get pods -w` or `kubectl logs -f`: those run until Ctrl-C and must show
// each line as it comes. A command line that is one such command on its own, with no pipe
// or redirection, runs "live": the command finds a writer through a variable in its
// environment that only that exec carries.
import { parse } from "just-bash";

export const LIVE_ENV = "MESH_ACADEMY_LIVE_EXEC";

export interface LiveWriter {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** Whether `script` is a single simple command named in `names`, its output unredirected. */
export function isLoneCommand(script: string, names: ReadonlySet<string>): boolean {
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(script);
  } catch {
    return false;
  }
  const statement = ast.statements.length === 1 ? ast.statements[0] : undefined;
  if (statement === undefined || statement.background || statement.pipelines.length !== 1) return false;
  const pipeline = statement.pipelines[0];
  if (pipeline === undefined || pipeline.commands.length !== 1) return false;
  const command = pipeline.commands[0];
  if (command === undefined || command.type !== "SimpleCommand" || command.redirections.length > 0) return false;
  const word = command.name;
  if (word === null || word === undefined) return false;
  // A literal command name only: `$cmd` or quoting tricks run the ordinary way.
  const name = word.parts.length === 1 && word.parts[0]?.type === "Literal" ? word.parts[0].value : undefined;
  if (name === undefined || !names.has(name)) return false;
  // A `$(kubectl …)` in the arguments would find the same variable and write to the
  // terminal instead of into the substitution.
  return !/"type":"(CommandSubstitution|ProcessSubstitution)"/.test(JSON.stringify([command.args, command.assignments]));
}

/** The live writers of running execs, found by the variable their environment carries. */
export class LiveOutputs {
  readonly #writers = new Map<string, LiveWriter>();

  open(key: string, writer: LiveWriter): void {
    this.#writers.set(key, writer);
  }

  close(key: string): void {
    this.#writers.delete(key);
  }

  /** The writer for a command running with this environment, if it runs live. */
  find(env: ReadonlyMap<string, string>): LiveWriter | undefined {
    const key = env.get(LIVE_ENV);
    return key === undefined ? undefined : this.#writers.get(key);
  }
}
