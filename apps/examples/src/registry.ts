import type { Example } from './example.js';
import { digits } from './examples/digits.js';
import { linearRegression } from './examples/linear-regression.js';
import { seed000 } from './examples/seed-000.js';
import { seed001 } from './examples/seed-001.js';
import { seed002 } from './examples/seed-002.js';
import { seed003 } from './examples/seed-003.js';
import { seed004 } from './examples/seed-004.js';

export const EXAMPLES: readonly Example[] = [seed000, seed001, seed002, seed003, seed004, linearRegression, digits];
