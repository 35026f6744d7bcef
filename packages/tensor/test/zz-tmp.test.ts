import { it } from 'vitest';
import { tensor } from '../src/index.js';
it('x', () => { try { console.log(tensor(3).view(1, 1).shape); } catch (e) { console.log('ERR', (e as Error).message); } });
