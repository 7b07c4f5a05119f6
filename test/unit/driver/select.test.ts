import { describe, expect, it } from 'vitest';
import { fallbackNotice, isDriverName, makeDriver } from '../../../src/driver/select.js';
import { Iproute2Driver } from '../../../src/driver/iproute2.js';
import { NetlinkDriver } from '../../../src/driver/netlink/driver.js';
import { driverOf } from '../../../src/engine/session.js';

describe('driver selection', () => {
  it('iproute2 by default, netlink when asked and koffi loads (it does here), no notice then', () => {
    expect(makeDriver(undefined, null)).toBeInstanceOf(Iproute2Driver);
    expect(makeDriver('iproute2', 'x')).toBeInstanceOf(Iproute2Driver);
    const d = makeDriver('netlink', 'x');
    expect(d).toBeInstanceOf(NetlinkDriver);
    expect(d.hostNetns).toBe('x');
    expect(fallbackNotice('netlink')).toBeUndefined();
    expect(driverOf({ stateDir: '/nonexistent', hostNetns: null, driverName: 'netlink' })).toBeInstanceOf(NetlinkDriver);
  });

  it('knows its names', () => {
    expect(['netlink', 'iproute2', 'ip', ''].map(isDriverName)).toEqual([true, true, false, false]);
  });
});
