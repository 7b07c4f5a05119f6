import { describe, expect, it } from 'vitest';
import { fallbackNotice, isDriverName, makeDriver } from '../../../src/driver/select.js';
import { Iproute2Driver } from '../../../src/driver/iproute2.js';
import { NetlinkDriver } from '../../../src/driver/netlink/driver.js';
import { driverOf } from '../../../src/engine/session.js';

describe('driver selection', () => {
  it('netlink by default and when asked (koffi loads here), iproute2 when asked, no notice then', () => {
    expect(makeDriver(undefined, null)).toBeInstanceOf(NetlinkDriver);
    expect(makeDriver('iproute2', 'x')).toBeInstanceOf(Iproute2Driver);
    const d = makeDriver('netlink', 'x');
    expect(d).toBeInstanceOf(NetlinkDriver);
    expect(d.hostNetns).toBe('x');
    expect(fallbackNotice('netlink')).toBeUndefined();
    expect(driverOf({ stateDir: '/nonexistent', hostNetns: null, driverName: 'netlink' })).toBeInstanceOf(
      NetlinkDriver,
    );
  });

  it('knows its names', () => {
    expect(['netlink', 'iproute2', 'ip', ''].map(isDriverName)).toEqual([true, true, false, false]);
  });
});
