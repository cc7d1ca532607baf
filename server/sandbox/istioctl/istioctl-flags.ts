// Command-line parsing as pflag does it for istioctl: flags anywhere among the arguments,
// `--flag=value`, `--flag value`, `-f value`, `-fvalue`, grouped boolean shorthands, `--`
// ends flags. Errors carry pflag's wording; cobra prints them as `Error: …` with exit code 64.
import { usageError } from './istioctl-error.ts';

/** `slice` splits on commas like pflag's StringSlice; `array` keeps each value whole (StringArray). */
export type FlagType = 'bool' | 'string' | 'slice' | 'array' | 'int';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
}

export interface ParsedFlags {
  values: Map<string, string | boolean | string[]>;
  positionals: string[];
}

/** istioctl's persistent flags (root.go) plus cobra's help flag. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', short: 'c', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'istioNamespace', short: 'i', type: 'string' },
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'vklog', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
];

function parseBool(spec: FlagSpec, text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  const names = spec.short === undefined ? `--${spec.name}` : `-${spec.short}, --${spec.name}`;
  throw usageError(`invalid argument "${text}" for "${names}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
}

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map(all.map((spec) => [spec.name, spec]));
  const byShort = new Map(all.filter((spec) => spec.short !== undefined).map((spec) => [spec.short ?? '', spec]));
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  const set = (spec: FlagSpec, value: string): void => {
    if (spec.type === 'bool') values.set(spec.name, parseBool(spec, value));
    else if (spec.type === 'slice' || spec.type === 'array') {
      const previous = values.get(spec.name);
      const added = spec.type === 'slice' ? value.split(',') : [value];
      values.set(spec.name, [...(Array.isArray(previous) ? previous : []), ...added]);
    } else if (spec.type === 'int') {
      if (!/^-?\d+$/.test(value)) throw usageError(`invalid argument "${value}" for "--${spec.name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      values.set(spec.name, value);
    } else values.set(spec.name, value);
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (spec === undefined) throw usageError(`unknown flag: --${name}`);
      if (eq !== -1) set(spec, arg.slice(eq + 1));
      else if (spec.type === 'bool') values.set(spec.name, true);
      else {
        if (index + 1 >= args.length) throw usageError(`flag needs an argument: --${name}`);
        set(spec, args[++index] ?? '');
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      let position = 1;
      while (position < arg.length) {
        const letter = arg[position] ?? '';
        const spec = byShort.get(letter);
        if (spec === undefined) throw usageError(`unknown shorthand flag: '${letter}' in ${arg}`);
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
          if (index + 1 >= args.length) throw usageError(`flag needs an argument: '${letter}' in -${letter}`);
          set(spec, args[++index] ?? '');
        }
        break;
      }
    } else positionals.push(arg);
  }
  return { values, positionals };
}

export function flagString(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flagBool(flags: ParsedFlags, name: string, fallback = false): boolean {
  const value = flags.values.get(name);
  return typeof value === 'boolean' ? value : fallback;
}

export function flagList(flags: ParsedFlags, name: string): string[] {
  const value = flags.values.get(name);
  return Array.isArray(value) ? value : [];
}
