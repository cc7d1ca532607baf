// Fortio's statistics as its load report prints them (fortio.org/fortio/stats): counters with
// count/avg/stddev/min/max/sum and histograms over its fixed bucket boundaries, with the
// interpolated percentiles, all in Go's number formats.

/** Fortio's bucket boundaries, in units of the histogram's divider (1 ms for call times). */
const BUCKETS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000,
  3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
];

const PERCENTILES = [50, 75, 90, 99, 99.9];

/** Go's `%g` (shortest) or `%.Ng`: exponent form below 1e-4 or from the precision up, trailing zeros dropped. */
export function goG(value: number, precision?: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const [mantissa = '0', exponent = '0'] = (precision === undefined ? value.toExponential() : value.toExponential(Math.max(0, precision - 1))).split('e');
  const exp = Number(exponent);
  const digits = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  if (exp < -4 || exp >= (precision ?? 6)) return `${digits}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const rounded = precision === undefined ? value : Number(value.toPrecision(precision));
  return String(rounded);
}

export interface FortioCounter {
  record(value: number): void;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  avg(): number;
  stddev(): number;
  /** `msg : count N avg … +/- … min … max … sum …` as fortio's Counter.Print writes it. */
  line(label: string): string;
}

export function createCounter(): FortioCounter {
  let count = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let min = 0;
  let max = 0;
  const counter: FortioCounter = {
    record(value) {
      if (count === 0 || value < min) min = value;
      if (count === 0 || value > max) max = value;
      count++;
      sum += value;
      sumOfSquares += value * value;
    },
    get count() {
      return count;
    },
    get sum() {
      return sum;
    },
    get min() {
      return min;
    },
    get max() {
      return max;
    },
    avg: () => (count === 0 ? Number.NaN : sum / count),
    stddev() {
      if (count === 0) return Number.NaN;
      const avg = sum / count;
      return Math.sqrt(Math.max(0, sumOfSquares / count - avg * avg));
    },
    line(label) {
      return `${label} : count ${count} avg ${goG(counter.avg(), 8)} +/- ${goG(counter.stddev(), 4)} min ${goG(min)} max ${goG(max)} sum ${goG(sum, 9)}`;
    },
  };
  return counter;
}

export interface FortioHistogram {
  record(value: number): void;
  readonly counter: FortioCounter;
  /** The counter line, then the bucket table and the percentile targets (fortio's Histogram.Print). */
  lines(label: string): string[];
}

/** Bucket index for a value scaled by the divider: the first boundary above its whole part. */
function bucketOf(scaled: number): number {
  const whole = Math.floor(scaled);
  for (let i = 1; i < BUCKETS.length; i++) if ((BUCKETS[i] ?? 0) > whole) return i;
  return BUCKETS.length;
}

export function createHistogram(divider: number): FortioHistogram {
  const counter = createCounter();
  const hits = new Map<number, number>();
  return {
    counter,
    record(value) {
      counter.record(value);
      const index = bucketOf(value / divider);
      hits.set(index, (hits.get(index) ?? 0) + 1);
    },
    lines(label) {
      const out = [counter.line(label)];
      if (counter.count === 0) return out;
      const indexes = [...hits.keys()].sort((a, b) => a - b);
      const rows: Array<{ start: number; end: number; percent: number; count: number }> = [];
      let cumulative = 0;
      indexes.forEach((index, n) => {
        const count = hits.get(index) ?? 0;
        cumulative += count;
        let start = (BUCKETS[index - 1] ?? 0) * divider;
        let end = index < BUCKETS.length ? (BUCKETS[index] ?? 0) * divider : counter.max;
        // The first bucket starts at the smallest value seen, the last ends at the largest.
        if (n === 0) start = counter.min;
        if (n === indexes.length - 1) end = counter.max;
        rows.push({ start, end, percent: (100 * cumulative) / counter.count, count });
      });
      out.push('# range, mid point, percentile, count');
      rows.forEach((row, n) => out.push(`${n === 0 ? '>=' : '>'} ${goG(row.start, 6)} <= ${goG(row.end, 6)} , ${goG((row.start + row.end) / 2, 6)} , ${row.percent.toFixed(2)}, ${row.count}`));
      for (const p of PERCENTILES) {
        let value = counter.max;
        let previous = 0;
        for (const row of rows) {
          if (p <= row.percent) {
            value = row.start + ((p - previous) / (row.percent - previous)) * (row.end - row.start);
            break;
          }
          previous = row.percent;
        }
        out.push(`# target ${goG(p)}% ${goG(value, 6)}`);
      }
      return out;
    },
  };
}
