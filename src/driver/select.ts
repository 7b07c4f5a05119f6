import type { Driver } from './types.js';
import { Iproute2Driver } from './iproute2.js';
import { NetlinkDriver } from './netlink/driver.js';
import { libcProblem } from './netlink/libc.js';
import { FailingDriver, failureRulesOf, type FailureCount, type FailureRule } from './failing.js';

import { DEFAULT_DRIVER, type DriverName } from './driver-name.js';

// the names live apart so that the CLI can parse its flags without loading a driver
export { DEFAULT_DRIVER, DRIVER_NAMES, isDriverName, type DriverName } from './driver-name.js';

/**
 * The driver asked for (netlink when none is), or iproute2 when the netlink binding cannot load here (no koffi binary
 * for this platform, another libc): a working fallback is better than an error. The caller may
 * say so with `fallbackNotice`.
 */
export function makeDriver(name: DriverName | undefined, hostNetns: string | null): Driver {
  const useNetlink = (name ?? DEFAULT_DRIVER) === 'netlink' && libcProblem() === undefined;
  const driver = useNetlink ? new NetlinkDriver(hostNetns) : new Iproute2Driver(hostNetns);
  const { rules, counts } = injected();
  // one wrapper per rule: each counts the operations handed to it and refuses its own once
  return rules.reduce<Driver>((d, rule, i) => new FailingDriver(d, rule, counts[i]), driver);
}

/**
 * CTNET_FAIL_OP's rules with their counts, kept for the whole process: `watch` makes a driver
 * for every run (and a run one per stage), and each rule still refuses one operation only.
 */
let failures: { text: string; rules: FailureRule[]; counts: FailureCount[] } | undefined;

function injected(): { rules: FailureRule[]; counts: FailureCount[] } {
  const text = process.env.CTNET_FAIL_OP ?? '';
  if (failures?.text === text) return failures;
  const rules = failureRulesOf(text);
  if (rules instanceof Error) throw rules;
  failures = { text, rules: rules ?? [], counts: (rules ?? []).map(() => ({ seen: 0, fired: false })) };
  return failures;
}

/** A line for the report when netlink was asked for in so many words and iproute2 is used instead. */
export function fallbackNotice(name: DriverName | undefined): string | undefined {
  if (name !== 'netlink') return undefined;
  const why = libcProblem();
  return why === undefined ? undefined : `the netlink driver cannot load (${why}): using iproute2`;
}
