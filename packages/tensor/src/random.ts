/**
 * The seeded generator behind rand, randn, randint, randperm, normal_ and uniform_: a Mersenne
 * Twister (mt19937), PyTorch's CPU generator algorithm.
 */
export class Generator {
  private mt = new Uint32Array(624);
  private index = 625;
  private seedValue = 0;
  /** Box–Muller produces normals in pairs; the second one waits here. */
  nextDoubleNormal: number | null = null;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number | bigint): this {
    const s = Number(BigInt.asUintN(32, BigInt(seed)));
    this.seedValue = Number(seed);
    this.mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
    this.nextDoubleNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      let v = mt[(i + 397) % 624]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** A float32-grained uniform in [0, 1): 24 random bits. */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) / 16777216;
  }

  /** A double-grained uniform in [0, 1): 53 random bits from two draws. */
  nextDouble(): number {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    // 64 bits = hi:lo; keep the low 53.
    return ((hi & 0x1fffff) * 4294967296 + lo) / 9007199254740992;
  }

  getState(): Uint32Array {
    const s = new Uint32Array(626);
    s.set(this.mt);
    s[624] = this.index;
    return s;
  }

  setState(state: Uint32Array): void {
    this.mt.set(state.subarray(0, 624));
    this.index = state[624]!;
    this.nextDoubleNormal = null;
  }
}

export const defaultGenerator = new Generator();

/** Seeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}
