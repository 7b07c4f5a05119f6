import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';

/** A container interface attaches to a network or passes a device through: exactly one of them. */
export const interfaceTarget: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const ct of set.containers) {
    (ct.spec.interfaces ?? []).forEach((i, n) => {
      const path = ['spec', 'interfaces', n];
      if (i.network !== undefined && i.device !== undefined) {
        errors.push(errorAt(ct, [...path, 'device'], 'an interface takes either "network" or "device", not both'));
      } else if (i.network === undefined && i.device === undefined) {
        errors.push(errorAt(ct, path, 'an interface needs "network" (or "device" for passthrough)'));
      }
    });
  }
  return errors;
};
