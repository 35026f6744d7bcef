/**
 * The seeded generator behind rand, randn, randint, randperm, normal_ and uniform_: PyTorch's CPU
 * generator, a 32-bit Mersenne Twister (mt19937) seeded from the low 32 bits of the seed, so
 * `manualSeed(s)` gives torch's numbers.
 */

const N = 624;
const M = 397;
/** PyTorch's default_rng_seed_val. */
const DEFAULT_SEED = 67280421310721n;

export class Generator {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private seed = DEFAULT_SEED;
  /**
   * Box–Muller makes normals in pairs; PyTorch's scalar sampler keeps the second one here for the
   * next draw, across calls (CPUGeneratorImpl's next_double_normal_sample).
   */
  nextDoubleNormal: number | null = null;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Reseeds (torch.Generator.manual_seed): the seed is read as a uint64, as in PyTorch. */
  manualSeed(seed: number | bigint): this {
    this.seed = BigInt.asUintN(64, BigInt(seed));
    const mt = this.mt;
    mt[0] = Number(this.seed & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = Math.imul(1812433253, prev) + i;
    }
    this.index = N;
    this.nextDoubleNormal = null;
    return this;
  }

  /** The seed last set (torch.Generator.initial_seed); exact below 2^53. */
  initialSeed(): number {
    return Number(this.seed);
  }

  /** The next 32 random bits as an unsigned integer (PyTorch's random()). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** 64 random bits from two draws, the first one high (PyTorch's random64()). */
  nextUint64(): bigint {
    const hi = this.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(this.nextUint32());
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** A float32-grained uniform in [0, 1): the low 24 bits of one draw. */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) / 0x1000000;
  }

  /** A double-grained uniform in [0, 1): the low 53 bits of random64(). */
  nextDouble(): number {
    const hi = this.nextUint32() & 0x1fffff;
    return (hi * 0x100000000 + this.nextUint32()) / 2 ** 53;
  }

  /** The full state: Mersenne Twister words, position, and the cached normal sample. */
  getState(): Uint32Array {
    const s = new Uint32Array(N + 4);
    s.set(this.mt);
    s[N] = this.index;
    if (this.nextDoubleNormal !== null) {
      s[N + 1] = 1;
      new DataView(s.buffer).setFloat64((N + 2) * 4, this.nextDoubleNormal, true);
    }
    return s;
  }

  setState(state: Uint32Array): void {
    this.mt.set(state.subarray(0, N));
    this.index = state[N]!;
    this.nextDoubleNormal = state[N + 1] ? new DataView(state.buffer, state.byteOffset).getFloat64((N + 2) * 4, true) : null;
  }
}

export const defaultGenerator = new Generator();

/** Seeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}
