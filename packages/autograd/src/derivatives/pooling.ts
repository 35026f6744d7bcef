import { type AvgPool2dAttrs, avgPool2dBackward, type DifferentiableOpName, maxPool2dBackward, type Pool2dAttrs } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

export const poolingRules = {
  maxPool2d: rule<Pool2dAttrs>({
    name: 'MaxPool2DWithIndicesBackward0',
    saveOutputs: [1],
    backward: (g, c) => [maxPool2dBackward(g, c.outputs[1]!, c.inputMeta[0]!.shape)],
  }),
  avgPool2d: rule<AvgPool2dAttrs>({
    name: 'AvgPool2DBackward0',
    backward: (g, c) => [avgPool2dBackward(g, c.inputMeta[0]!.shape, c.attrs)],
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
