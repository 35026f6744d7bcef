import { type BatchNormAttrs, batchNormBackward, type DifferentiableOpName, type LayerNormAttrs, layerNormBackward } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

export const normalizationRules = {
  layerNorm: rule<LayerNormAttrs>({
    name: 'NativeLayerNormBackward0',
    saveInputs: [0, 1],
    backward: (g, c) => layerNormBackward(g, c.inputs[0]!, c.inputs[1] ?? null, c.attrs, c.needsGrad),
  }),
  batchNorm: rule<BatchNormAttrs>({
    name: 'NativeBatchNormBackward0',
    saveInputs: [0, 1, 2, 3],
    backward: (g, c) =>
      batchNormBackward(g, c.inputs[0]!, c.inputs[1] ?? null, c.inputs[2] ?? null, c.inputs[3] ?? null, c.attrs, c.needsGrad),
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
