import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { ASGD } from './asgd.js';
import { LBFGS } from './lbfgs.js';
import { NAdam } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { Rprop } from './rprop.js';
import { SGD } from './sgd.js';

/**
 * The optimizer classes by name, in the order `dir(torch.optim)` lists them (SparseAdam is
 * left out: gd has no sparse tensors).
 */
export const optimizers = { ASGD, Adadelta, Adagrad, Adam, AdamW, Adamax, LBFGS, NAdam, Optimizer, RAdam, RMSprop, Rprop, SGD } as const;
