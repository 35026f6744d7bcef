import { gdVitest } from '../../tooling/vitest.preset.ts';

export default gdVitest;
