// Command-line parsing the way cobra/pflag does it for kubectl: flags anywhere among the
// arguments, `--flag=value`, `--flag value`, `-n value`, `-nvalue`, `-n=value`, boolean
// flags without a value, `--` ends flags.
import { KubectlError } from './kubectl-error.ts';

export type FlagType = 'bool' | 'string' | 'strings' | 'int';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
}

export interface ParsedFlags {
  values: Map<string, string | boolean | string[]>;
  positionals: string[];
  /** Arguments after `--`. */
  rest: string[];
  sawDashDash: boolean;
}

/** The flags every kubectl command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
  { name: 'request-timeout', type: 'string' },
  { name: 'v', short: 'v', type: 'string' },
  { name: 'server', short: 's', type: 'string' },
  { name: 'token', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'insecure-skip-tls-verify', type: 'bool' },
  { name: 'match-server-version', type: 'bool' },
  { name: 'warnings-as-errors', type: 'bool' },
  { name: 'as', type: 'string' },
  { name: 'as-group', type: 'strings' },
  { name: 'as-uid', type: 'string' },
];

export class FlagError extends KubectlError {
  constructor(message: string) {
    super('FLAG_INVALID', message);
  }
}

function parseBool(name: string, text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new FlagError(`invalid argument "${text}" for "--${name}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
}

/** `lenient` skips flags it does not know (used to read the global flags before the command's own). */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[], lenient = false): ParsedFlags {
  // A command's own flag shadows a global one of the same name (`create rolebinding --user`).
  const all = [...GLOBAL_FLAGS, ...specs];
  const byName = new Map(all.map((spec) => [spec.name, spec]));
  const byShort = new Map(all.filter((spec) => spec.short !== undefined).map((spec) => [spec.short ?? '', spec]));
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  const set = (spec: FlagSpec, value: string): void => {
    if (spec.type === 'bool') values.set(spec.name, parseBool(spec.name, value));
    else if (spec.type === 'strings') {
      const previous = values.get(spec.name);
      values.set(spec.name, [...(Array.isArray(previous) ? previous : []), value]);
    } else if (spec.type === 'int') {
      if (!/^-?\d+$/.test(value)) throw new FlagError(`invalid argument "${value}" for "--${spec.name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      values.set(spec.name, value);
    } else values.set(spec.name, value);
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') return { values, positionals, rest: args.slice(index + 1), sawDashDash: true };
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (spec === undefined) {
        if (lenient) continue;
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq !== -1) set(spec, arg.slice(eq + 1));
      else if (spec.type === 'bool') values.set(spec.name, true);
      else {
        if (index + 1 >= args.length) throw new FlagError(`flag needs an argument: --${name}`);
        set(spec, args[++index] ?? '');
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      let position = 1;
      while (position < arg.length) {
        const letter = arg[position] ?? '';
        const spec = byShort.get(letter);
        if (spec === undefined) {
          if (lenient) break;
          throw new FlagError(`unknown shorthand flag: '${letter}' in ${arg}`);
        }
        position++;
        if (spec.type === 'bool') {
          if (arg[position] === '=') {
            set(spec, arg.slice(position + 1));
            break;
          }
          values.set(spec.name, true);
          continue;
        }
        if (position < arg.length) set(spec, arg.slice(arg[position] === '=' ? position + 1 : position));
        else {
          if (index + 1 >= args.length) throw new FlagError(`flag needs an argument: '${letter}' in -${letter}`);
          set(spec, args[++index] ?? '');
        }
        break;
      }
    } else positionals.push(arg);
  }
  return { values, positionals, rest: [], sawDashDash: false };
}

export function flagString(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flagBool(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

export function flagList(flags: ParsedFlags, name: string): string[] {
  const value = flags.values.get(name);
  return Array.isArray(value) ? value : [];
}
