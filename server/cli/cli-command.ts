// One subcommand of `mesh-academy`. Each lives in its own file and is listed in main.ts.
export interface CliCommand {
  readonly name: string;
  /** One line for `mesh-academy --help`. */
  readonly summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}
