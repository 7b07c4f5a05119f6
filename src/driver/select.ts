import type { Driver } from './types.js';
import { Iproute2Driver } from './iproute2.js';
import { NetlinkDriver } from './netlink/driver.js';
import { libcProblem } from './netlink/libc.js';

/** `--driver` / CTNET_DRIVER. netlink by default: in-process observation is ten times faster. */
export type DriverName = 'netlink' | 'iproute2';
export const DRIVER_NAMES: readonly DriverName[] = ['netlink', 'iproute2'];
export const DEFAULT_DRIVER: DriverName = 'netlink';

export const isDriverName = (s: string): s is DriverName => (DRIVER_NAMES as readonly string[]).includes(s);

/**
 * The driver asked for (netlink when none is), or iproute2 when the netlink binding cannot load here (no koffi binary
 * for this platform, another libc): a working fallback is better than an error. The caller may
 * say so with `fallbackNotice`.
 */
export function makeDriver(name: DriverName | undefined, hostNetns: string | null): Driver {
  if ((name ?? DEFAULT_DRIVER) === 'netlink' && libcProblem() === undefined) return new NetlinkDriver(hostNetns);
  return new Iproute2Driver(hostNetns);
}

/** A line for the report when netlink was asked for in so many words and iproute2 is used instead. */
export function fallbackNotice(name: DriverName | undefined): string | undefined {
  if (name !== 'netlink') return undefined;
  const why = libcProblem();
  return why === undefined ? undefined : `the netlink driver cannot load (${why}): using iproute2`;
}
