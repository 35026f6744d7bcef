import {
  type Conv2dAttrs,
  type ConvTranspose2dAttrs,
  col2im,
  conv2dBackward,
  convTranspose2dBackward,
  type DifferentiableOpName,
  type Im2colAttrs,
  im2col,
} from '@gd/tensor';
import { type Rule, rule } from './rule.js';

type Col2imAttrs = Im2colAttrs & { outputSize: [number, number] };

/** im2col and col2im are each other's adjoint, so each one's gradient is the other applied to it. */
const windowOptions = (a: Im2colAttrs) => ({ dilation: a.dilation, padding: a.padding, stride: a.stride });

export const convRules = {
  conv2d: rule<Conv2dAttrs>({
    name: 'ConvolutionBackward0',
    saveInputs: [0, 1],
    backward: (g, c) => conv2dBackward(g, c.inputs[0]!, c.inputs[1]!, c.attrs, c.needsGrad),
  }),
  convTranspose2d: rule<ConvTranspose2dAttrs>({
    name: 'ConvolutionBackward0',
    saveInputs: [0, 1],
    backward: (g, c) => convTranspose2dBackward(g, c.inputs[0]!, c.inputs[1]!, c.attrs, c.needsGrad),
  }),
  im2col: rule<Im2colAttrs>({
    name: 'Im2ColBackward0',
    backward: (g, c) => {
      const shape = c.inputMeta[0]!.shape;
      return [col2im(g, [shape[2]!, shape[3]!], c.attrs.kernel, windowOptions(c.attrs))];
    },
  }),
  col2im: rule<Col2imAttrs>({
    name: 'Col2ImBackward0',
    backward: (g, c) => [im2col(g, c.attrs.kernel, windowOptions(c.attrs))],
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
