import type { CtnetError } from '../../model/errors.js';
import type { Manifest } from '../types.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * ctnet sets network sysctls only: `net.*` keys live in the network namespace they are set in.
 * Any other tree (`kernel.*`, `vm.*`, `fs.*`) is one for the whole machine, and a container's or
 * a sandbox host's setting would reach past it. Whether a `net.*` key is kept per namespace is the
 * kernel's to say: the planner checks that against the probe (kinds/sysctl.ts).
 */
export const sysctlKeys: Rule = (set) => {
  const errors: CtnetError[] = [];
  const check = (m: Manifest, sysctls: Readonly<Record<string, string>> | undefined): void => {
    for (const key of Object.keys(sysctls ?? {})) {
      // a key of the wrong form is the schema's to report, once
      if (/^net[./]/.test(key) || !/^[A-Za-z0-9_-]+([./][A-Za-z0-9_-]+)+$/.test(key)) continue;
      const tree = key.split(/[./]/)[0];
      const why =
        `"${tree}" keys are global to the machine, not kept per network namespace ` + '(ctnet sets net.* keys only)';
      errors.push(errorAt(m, ['spec', 'sysctls', key], `"${key}" is not a network sysctl: ${why}`));
    }
  };
  for (const h of set.hosts) check(h, h.spec.sysctls);
  for (const ct of set.containers) check(ct, ct.spec.sysctls);
  return errors;
};
