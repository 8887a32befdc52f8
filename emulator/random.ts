// Deterministic randomness. Data values are pure functions of their inputs,
// so any day can be computed alone. Fault decisions draw from a seeded
// stream, so a run with the same seed and the same calls fails the same way.

// FNV-1a over the UTF-16 code units, then a murmur3-style avalanche step.
function hash32(text: string, salt: number): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hashes the parts into a number in [0, 1) with 53 bits of precision. */
export function hashUnit(...parts: Array<string | number>): number {
  const text = parts.join("|");
  const high = hash32(text, 0x9e3779b9) >>> 11;
  const low = hash32(text, 0x7f4a7c15);
  return (high * 2 ** 32 + low) / 2 ** 53;
}

/** A reproducible stream of numbers in [0, 1), restartable from its seed. */
export class SeededStream {
  private counter = 0;

  constructor(
    private readonly seed: number,
    private readonly name: string,
  ) {}

  next(): number {
    const value = hashUnit(this.seed, this.name, this.counter);
    this.counter += 1;
    return value;
  }

  restart(): void {
    this.counter = 0;
  }
}
