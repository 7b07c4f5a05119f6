/** `--driver` / CTNET_DRIVER. netlink by default: in-process observation is ten times faster. */
export type DriverName = 'netlink' | 'iproute2';
export const DRIVER_NAMES: readonly DriverName[] = ['netlink', 'iproute2'];
export const DEFAULT_DRIVER: DriverName = 'netlink';

export const isDriverName = (s: string): s is DriverName => (DRIVER_NAMES as readonly string[]).includes(s);
