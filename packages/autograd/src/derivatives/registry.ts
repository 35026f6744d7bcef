import { OP_NAMES, RuntimeError } from '@gd/tensor';
import type { Rule } from './rule.js';

const external = new Map<string, Rule>();

/**
 * Gives an op defined outside @gd/tensor (one that calls `dispatch(name, ...)` with a name not
 * in OP_NAMES) its backward rule, so it records and differentiates like a built-in op without
 * an edit to this package. Built-in ops keep their rules: a name listed in OP_NAMES is refused.
 * Registering the same external name again replaces its rule (a hot-reloaded module registers again).
 */
export function registerDerivative<A>(opName: string, rule: Rule<A>): void {
  if (Object.hasOwn(OP_NAMES, opName))
    throw new RuntimeError(`registerDerivative: '${opName}' is a built-in op; its derivative cannot be replaced`);
  external.set(opName, rule);
}

/** The rule registered for an external op, if any. */
export function registeredRule(opName: string): Rule | undefined {
  return external.get(opName);
}
