import type { DifferentiableOpName } from '@gd/tensor';
import { activationRules } from './activation.js';
import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { embeddingRules } from './embedding.js';
import { indexingRules } from './indexing.js';
import { linalgRules } from './linalg.js';
import { lossRules } from './loss.js';
import { normalizationRules } from './normalization.js';
import { poolingRules } from './pooling.js';
import { randomRules } from './random.js';
import { rearrangeRules } from './rearrange.js';
import { reductionRules } from './reduction.js';
import { registeredRule } from './registry.js';
import type { Rule } from './rule.js';
import { shapeRules } from './shape.js';

export { registerDerivative } from './registry.js';
export type { BackwardContext, Rule, TensorMeta } from './rule.js';

/**
 * The derivative table: one family file per group of ops, each exporting
 * `const <family>Rules = { op: rule(...), ... } satisfies Partial<Record<DifferentiableOpName, Rule>>`.
 * Register a family with one spread line below; a differentiable op without a rule fails to compile.
 */
export const DERIVATIVES: Readonly<Record<DifferentiableOpName, Rule>> = {
  ...elementwiseRules,
  ...activationRules,
  ...reductionRules,
  ...shapeRules,
  ...rearrangeRules,
  ...indexingRules,
  ...linalgRules,
  ...lossRules,
  ...randomRules,
  ...convRules,
  ...poolingRules,
  ...normalizationRules,
  ...embeddingRules,
} satisfies Record<DifferentiableOpName, Rule>;

// A Map: looking up a key of a ~200-entry object literal is a slow dictionary-mode read per op.
const BUILT_IN = new Map<string, Rule>(Object.entries(DERIVATIVES));

/** The rule of `op`: the built-in table first, then the rules registered for external ops. */
export function ruleFor(op: string): Rule | undefined {
  return BUILT_IN.get(op) ?? registeredRule(op);
}
