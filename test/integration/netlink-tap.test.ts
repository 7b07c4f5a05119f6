import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetlinkDriver } from '../../src/driver/netlink/driver.js';
import { Iproute2Driver } from '../../src/driver/iproute2.js';
import type { Batch } from '../../src/driver/types.js';
import { Sandbox, ipj, sh } from './sandbox.js';

/** Taps made by the netlink driver in-process (ioctl on /dev/net/tun) are the taps `ip tuntap add` makes. */
describe('netlink driver taps', () => {
  let sb: Sandbox;
  let ct: string;
  beforeAll(() => {
    sb = new Sandbox();
    ct = sb.ns('ct1');
    sh('ip', 'netns', 'add', ct);
  });
  afterAll(() => {
    try {
      sh('ip', 'netns', 'del', ct);
    } catch {
      // already gone
    }
    sb.cleanup();
  });

  const tapBatch = (ns: string | null, name: string): Batch => ({
    target: { ns, channel: 'ip' },
    ops: [
      { op: 'link-add', ns, link: { name, kind: 'tap' } },
      { op: 'link-set', ns, name, set: { mtu: 1400, up: true } },
    ],
  });
  const tun = (ns: string, name: string) => {
    const [l] = ipj(ns, '-d', 'link', 'show', 'dev', name);
    return { kind: l.linkinfo?.info_kind, info: l.linkinfo?.info_data, mtu: l.mtu };
  };

  it('makes a persistent tap without packet information, in the right namespace, like ip tuntap add', async () => {
    const nl = new NetlinkDriver(sb.host);
    expect(await nl.run([tapBatch(null, 'tapnl0'), tapBatch(ct, 'tapnl1')])).toEqual([
      { ran: 2, failures: [] },
      { ran: 2, failures: [] },
    ]);
    expect(await new Iproute2Driver(sb.host).run([tapBatch(null, 'tapip0')])).toEqual([{ ran: 2, failures: [] }]);
    const made = tun(sb.host, 'tapnl0');
    expect(made).toEqual(tun(sb.host, 'tapip0'));
    expect(made.kind).toBe('tun');
    expect(made.info).toMatchObject({ type: 'tap', pi: false, persist: true });
    expect(made.mtu).toBe(1400);
    expect(tun(ct, 'tapnl1')).toEqual(made);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).not.toContain('tapnl1');
  });

  it('reports a tap that cannot be made with the words ip uses', async () => {
    const batch: Batch = {
      target: { ns: null, channel: 'ip' },
      ops: [{ op: 'link-add', ns: null, link: { name: 'tapnl0', kind: 'tap' } }],
    };
    const [nl] = await new NetlinkDriver(sb.host).run([batch]);
    const [ip] = await new Iproute2Driver(sb.host).run([batch]);
    expect(nl).toEqual(ip);
    expect(nl.failures[0].message).toBe('ioctl(TUNSETIFF): Device or resource busy');
  });
});
