// protobuf Duration strings as Istio accepts them (`7s`, `0.5s`, `100ms`, `1m`, `1h`) in milliseconds.
const UNITS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  let total = 0;
  let rest = value.trim();
  if (rest === '') return undefined;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNITS[match[2] as string] as number);
    rest = rest.slice(match[0].length);
  }
  return total;
}
