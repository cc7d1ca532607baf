// A small seeded generator (sfc32) so generated names, uids and IPs repeat for a given seed.

/** Alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, max). */
  int(max: number): number;
  /** Random string over the Kubernetes name-suffix alphabet. */
  nameSuffix(length: number): string;
  /** Lower-case hex string. */
  hex(length: number): string;
  /** RFC 4122 version-4 shaped identifier. */
  uid(): string;
  /** The generator's internal state, for snapshots; `createRng(seed, state)` continues from it. */
  state(): [number, number, number, number];
}

function hashSeed(seed: string | number): [number, number, number, number] {
  const text = String(seed);
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createRng(seed: string | number, state?: readonly number[]): Rng {
  let [a, b, c, d] = state !== undefined && state.length === 4 ? (state.map((word) => word >>> 0) as [number, number, number, number]) : hashSeed(seed);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += int(16).toString(16);
    return out;
  };
  return {
    next,
    int,
    hex,
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
    nameSuffix(length) {
      let out = '';
      for (let i = 0; i < length; i++) out += NAME_ALPHABET[int(NAME_ALPHABET.length)];
      return out;
    },
    uid() {
      const variant = (8 + int(4)).toString(16);
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
  };
}
