import type { Driver } from './types.js';
import { Iproute2Driver } from './iproute2.js';
import { NetlinkDriver } from './netlink/driver.js';
import { libcProblem } from './netlink/libc.js';
import { FailingDriver, failureRulesOf } from './failing.js';

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
  const rules = failureRulesOf(process.env.CTNET_FAIL_OP);
  if (rules instanceof Error) throw rules;
  // one wrapper per rule: each counts the operations handed to it and refuses its own once
  return (rules ?? []).reduce<Driver>((d, rule) => new FailingDriver(d, rule), driver);
}

/** A line for the report when netlink was asked for in so many words and iproute2 is used instead. */
export function fallbackNotice(name: DriverName | undefined): string | undefined {
  if (name !== 'netlink') return undefined;
  const why = libcProblem();
  return why === undefined ? undefined : `the netlink driver cannot load (${why}): using iproute2`;
}
