import { type DifferentiableOpName, zerosLike } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

/** Random fills overwrite their input: as in PyTorch, the input gets a zero gradient. */
const refilled = (name: string): Rule => rule({ name, backward: (g) => [zerosLike(g)] });

export const randomRules = {
  normal: refilled('NormalBackward0'),
  uniform: refilled('UniformBackward0'),
  bernoulli: refilled('BernoulliBackward0'),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
