import type { Tensor } from '@gd/tensor';
import type { GradNode } from './node.js';

/** Every tensor saved for backward by the graphs that end in `roots` (the installed `savedTensors` hook). */
export function savedTensors(roots: readonly Tensor[]): Tensor[] {
  const seen = new Set<GradNode>();
  const todo: GradNode[] = [];
  for (const r of roots) {
    const fn = r.gradFn as GradNode | null;
    if (fn !== null && !seen.has(fn)) {
      seen.add(fn);
      todo.push(fn);
    }
  }
  const out: Tensor[] = [];
  while (todo.length > 0) {
    const node = todo.pop()!;
    out.push(...node.savedTensorList());
    for (const [child] of node.nextFunctions) {
      if (child !== null && !seen.has(child)) {
        seen.add(child);
        todo.push(child);
      }
    }
  }
  return out;
}
