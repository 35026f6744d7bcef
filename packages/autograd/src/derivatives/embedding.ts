import { type DifferentiableOpName, embeddingBackward } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

export const embeddingRules = {
  embedding: rule<{ paddingIdx: number | null }>({
    name: 'EmbeddingBackward0',
    saveInputs: [0],
    backward: (g, c) => [null, embeddingBackward(g, c.inputs[0]!, c.inputMeta[1]!.shape[0]!, c.attrs.paddingIdx)],
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
