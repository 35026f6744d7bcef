import { GdTypeError, isTensor, readArgs, RuntimeError, type Tensor, ValueError, withGradMode, zeros } from '@gd/tensor';
import * as s from './float32-scalar.js';
import { F32, type Num } from './float32-scalar.js';
import { type Closure, Optimizer, type ParamGroupInput, type ParamState, type Params } from './optimizer.js';
import { checkLr } from './validate.js';

export type LBFGSOptions = {
  lr: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
};

type LBFGSArg = number | string | null | Partial<Omit<LBFGSOptions, 'maxEval'> & { maxEval: number | null }> | undefined;

/**
 * L-BFGS (torch.optim.LBFGS), minFunc-style, with an optional strong-Wolfe line search.
 * `step(closure)` re-evaluates the closure as often as it needs and returns its first loss.
 * Its state (search direction, curvature history) lives under the first parameter, as in PyTorch.
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private readonly params: Tensor[];

  constructor(params: Params<LBFGSOptions>, ...args: LBFGSArg[]) {
    const o = readArgs<Omit<LBFGSOptions, 'maxEval'> & { maxEval: number | null }>(
      args,
      ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'],
      { lr: 1, maxIter: 20, maxEval: null, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null },
    );
    checkLr(o.lr);
    super(params, { ...o, maxEval: o.maxEval ?? Math.floor((o.maxIter * 5) / 4) });
    this.params = this.paramGroups[0]!.params;
  }

  /** LBFGS keeps one group: a second one (in the constructor or later) is refused. */
  override addParamGroup(paramGroup: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length >= 1) throw new ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
    super.addParamGroup(paramGroup);
  }

  private numel(): number {
    return this.params.reduce((n, p) => n + p.numel(), 0);
  }

  private gatherFlatGrad(): Tensor {
    const first = this.params[0]!;
    const flat = zeros(this.numel(), { dtype: first.dtype, backend: first.backend });
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      if (p.grad !== null) flat.slice(0, offset, offset + n).copy_(p.grad.reshape(-1));
      offset += n;
    }
    return flat;
  }

  private addGrad(stepSize: Num, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(update.slice(0, offset, offset + n).view(p.shape), { alpha: s.val(stepSize) });
      offset += n;
    }
  }

  private directionalEvaluate(closure: () => number, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = closure();
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]!));
    return [loss, flatGrad];
  }

  step(closure?: Closure): unknown {
    if (closure === undefined) throw new GdTypeError("LBFGS.step() missing 1 required positional argument: 'closure'");
    const evaluate = (): unknown => withGradMode(true, closure, false);
    return withGradMode(false, () => this.run(evaluate));
  }

  private run(closure: () => unknown): unknown {
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const lossOf = (): number => toNumber(closure());
    const state = this.stateOf(this.params[0]!);
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    const origLoss = closure();
    let loss = toNumber(origLoss);
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;

    let flatGrad = this.gatherFlatGrad();
    let optCond = s.le(F32.of(flatGrad.abs().amax()), toleranceGrad);
    if (optCond) return origLoss;

    let d = state.d as Tensor | undefined;
    let t: Num = (state.t as number | undefined) ?? 0;
    let oldDirs = (state.oldDirs as Tensor[] | undefined) ?? [];
    let oldStps = (state.oldStps as Tensor[] | undefined) ?? [];
    let ro = ((state.ro as number[] | undefined) ?? []).map((r) => new F32(r));
    let hDiag: Num = state.hDiag === undefined ? 1 : new F32(state.hDiag as number);
    let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
    let prevLoss = state.prevLoss as number | undefined;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter = (state.nIter as number) + 1;

      // gradient descent direction
      if (state.nIter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const sv = d!.mul(s.val(t));
        const ys = F32.of(y.dot(sv));
        if (s.gt(ys, 1e-10)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(sv);
          ro.push(s.div(1, ys) as F32);
          hDiag = s.div(ys, F32.of(y.dot(y)));
        }
        const numOld = oldDirs.length;
        const al: (number | null)[] = (state.al as (number | null)[] | undefined) ?? new Array<number | null>(historySize).fill(null);
        state.al = al;
        const alF: F32[] = [];
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          alF[i] = s.mul(F32.of(oldStps[i]!.dot(q)), ro[i]!) as F32;
          al[i] = alF[i]!.v;
          q.add_(oldDirs[i]!, { alpha: -alF[i]!.v });
        }
        const r = q.mul(s.val(hDiag));
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = s.mul(F32.of(oldDirs[i]!.dot(r)), ro[i]!);
          r.add_(oldStps[i]!, { alpha: s.val(s.sub(alF[i]!, beI)) });
        }
      }

      if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // step length: a guess scaled by the gradient on the very first iteration
      t = state.nIter === 1 ? s.mul(s.min(1, s.div(1, F32.of(flatGrad.abs().sum()))), lr) : lr;

      const gtd = F32.of(flatGrad.dot(d));
      if (s.gt(gtd, -toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        if (lineSearchFn !== 'strong_wolfe') throw new RuntimeError("only 'strong_wolfe' is supported");
        const xInit = this.params.map((p) => p.clone());
        const objFunc = (x: Tensor[], step: Num, dir: Tensor): [number, Tensor] => this.directionalEvaluate(lossOf, x, step, dir);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(objFunc, xInit, t, d, loss, flatGrad, gtd, toleranceChange);
        this.addGrad(t, d);
        optCond = s.le(F32.of(flatGrad.abs().amax()), toleranceGrad);
      } else {
        this.addGrad(t, d);
        if (nIter !== maxIter) {
          // re-evaluate only when another iteration follows
          loss = lossOf();
          flatGrad = this.gatherFlatGrad();
          optCond = s.le(F32.of(flatGrad.abs().amax()), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals = (state.funcEvals as number) + lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (s.le(F32.of(d.mul(s.val(t)).abs().amax()), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    Object.assign(state, {
      d,
      t: s.val(t),
      oldDirs,
      oldStps,
      ro: ro.map((r) => r.v),
      hDiag: s.val(hDiag),
      prevFlatGrad,
      prevLoss,
    } satisfies ParamState);
    return origLoss;
  }
}

function toNumber(loss: unknown): number {
  return isTensor(loss) ? (loss.item() as number) : Number(loss);
}

/** Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds. */
function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  const [xminBound, xmaxBound] = bounds ?? (s.le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = s.sub(s.add(g1, g2), s.div(s.mul(3, s.sub(f1, f2)), s.sub(x1, x2)));
  const d2Square = s.sub(s.square(d1), s.mul(g1, g2));
  if (s.ge(d2Square, 0)) {
    const d2 = s.sqrt(d2Square);
    const minPos = s.le(x1, x2)
      ? s.sub(x2, s.mul(s.sub(x2, x1), s.div(s.sub(s.add(g2, d2), d1), s.add(s.sub(g2, g1), s.mul(2, d2)))))
      : s.sub(x1, s.mul(s.sub(x1, x2), s.div(s.sub(s.add(g1, d2), d1), s.add(s.sub(g1, g2), s.mul(2, d2)))));
    return s.min(s.max(minPos, xminBound), xmaxBound);
  }
  return s.div(s.add(xminBound, xmaxBound), 2);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/** The strong-Wolfe line search of minFunc (lswolfe.lua), as torch.optim.lbfgs ports it. */
function strongWolfe(
  objFunc: ObjFunc,
  x: Tensor[],
  t0: Num,
  d: Tensor,
  f: number,
  g0: Tensor,
  gtd: F32,
  toleranceChange = 1e-9,
  c1 = 1e-4,
  c2 = 0.9,
  maxLs = 25,
): [number, Tensor, Num, number] {
  let t = t0;
  const dNorm = F32.of(d.abs().amax());
  const g = g0.clone();
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew = F32.of(gNew.dot(d));

  let tPrev: Num = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev: Num = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Num[] = [];
  while (lsIter < maxLs) {
    if (s.gt(fNew, s.add(f, s.mul(s.mul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew.clone()],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    if (s.le(s.abs(gtdNew), s.mul(-c2, gtd))) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (s.ge(gtdNew, 0)) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew.clone()],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    // interpolate
    const minStep = s.add(t, s.mul(0.01, s.sub(t, tPrev)));
    const maxStep = s.mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals++;
    gtdNew = F32.of(gNew.dot(d));
    lsIter++;
  }
  if (lsIter === maxLs)
    [bracket, bracketF, bracketG] = [
      [0, t],
      [f, fNew],
      [g, gNew],
    ];

  // zoom: refine the bracket until a point satisfies the conditions
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (s.lt(s.mul(s.abs(s.sub(bracket[1]!, bracket[0]!)), dNorm), toleranceChange)) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);

    // keep trial points away from the bracket's ends when progress stalls
    const hi = s.max(bracket[0]!, bracket[1]!);
    const lo = s.min(bracket[0]!, bracket[1]!);
    const eps = s.mul(0.1, s.sub(hi, lo));
    if (s.lt(s.min(s.sub(hi, t), s.sub(t, lo)), eps)) {
      if (insufProgress || s.ge(t, hi) || s.le(t, lo)) {
        t = s.lt(s.abs(s.sub(t, hi)), s.abs(s.sub(t, lo))) ? s.sub(hi, eps) : s.add(lo, eps);
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;

    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals++;
    gtdNew = F32.of(gNew.dot(d));
    lsIter++;

    if (s.gt(fNew, s.add(f, s.mul(s.mul(c1, t), gtd))) || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (s.le(s.abs(gtdNew), s.mul(-c2, gtd))) done = true;
      else if (s.ge(s.mul(gtdNew, s.sub(bracket[highPos]!, bracket[lowPos]!)), 0)) {
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}
