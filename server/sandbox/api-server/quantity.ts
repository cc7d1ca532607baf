/**
 * Kubernetes resource quantities (`500m`, `1.5`, `128Mi`, `1G`, `1e3`): parsed to a number of
 * base units and printed back in the canonical form the API server uses in status fields.
 */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** In base units (cores, bytes); may be fractional (0.5 cores). */
  value: number;
  format: QuantityFormat;
}

export class QuantityParseError extends Error {
  readonly code = 'QUANTITY_INVALID';
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(text: unknown): Quantity {
  const raw = typeof text === 'number' ? String(text) : String(text ?? '');
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(raw.trim());
  if (match === null) throw new QuantityParseError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (match[3] !== undefined) return { value: number * 10 ** Number(match[3]), format: 'DecimalExponent' };
  if (suffix in BINARY) return { value: number * (BINARY[suffix] ?? 1), format: 'BinarySI' };
  return { value: number * (DECIMAL[suffix] ?? 1), format: 'DecimalSI' };
}

/** Rounds away float noise at the API's smallest unit (nano). */
const clean = (value: number): number => Math.round(value * 1e9) / 1e9;

/** Canonical form: the largest suffix that keeps an integer mantissa (`1500m`, `2`, `256Mi`). */
export function formatQuantity(quantity: Quantity): string {
  const value = clean(quantity.value);
  if (value === 0) return '0';
  if (quantity.format === 'BinarySI' && Number.isInteger(value)) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = BINARY[suffix] ?? 1;
      if (Math.abs(value) >= unit && value % unit === 0) return `${value / unit}${suffix}`;
    }
    return String(value);
  }
  for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k', '', 'm', 'u', 'n']) {
    const mantissa = value / (DECIMAL[suffix] ?? 1);
    const whole = Math.round(mantissa);
    if (whole !== 0 && Math.abs(mantissa - whole) < 1e-6) return `${whole}${suffix}`;
  }
  return String(value);
}

/** Sums quantities, keeping the format of the first (as Quantity.Add does). */
export function addQuantities(quantities: Quantity[]): Quantity {
  return { value: quantities.reduce((sum, q) => sum + q.value, 0), format: quantities[0]?.format ?? 'DecimalSI' };
}
