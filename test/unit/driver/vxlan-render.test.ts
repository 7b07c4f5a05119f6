import { describe, expect, it } from 'vitest';
import { bridgeArgv } from '../../../src/driver/bridge-render.js';
import { batchArgv, commandLine } from '../../../src/driver/iproute2-render.js';
import { mayConcernCtnet } from '../../../src/driver/netlink/events.js';
import { parseFdb } from '../../../src/driver/parse-bridge.js';
import { parseLinks } from '../../../src/driver/parse-ip.js';
import type { Op } from '../../../src/model/ops.js';

/** Spanning networks' operations as iproute2 command lines, and what iproute2 prints read back. */
const ZERO = '00:00:00:00:00:00';
const vx = (dev?: string): Op => ({
  op: 'link-add',
  ns: 'nsx',
  link: {
    name: 'vx0',
    kind: 'vxlan',
    mtu: 1400,
    master: 'br0',
    up: true,
    vxlan: { vni: 42, local: '192.0.2.1', port: 4789, ...(dev ? { dev } : {}) },
  },
});
const append: Op = { op: 'fdb-add', ns: null, fdb: { dev: 'vx0', dst: '2001:db8::2', mac: ZERO } };
const remove: Op = { op: 'fdb-del', ns: 'nsx', fdb: { dev: 'vx0', dst: '192.0.2.2', mac: ZERO } };

describe('rendering', () => {
  it('a VXLAN device is one ip link add, learning off', () => {
    expect(commandLine(vx('eth0'), null)).toBe(
      'ip -n nsx link add name vx0 mtu 1400 master br0 up type vxlan id 42 local 192.0.2.1 dstport 4789 nolearning dev eth0',
    );
    expect(batchArgv(vx()).slice(-9)).toEqual([
      'type',
      'vxlan',
      'id',
      '42',
      'local',
      '192.0.2.1',
      'dstport',
      '4789',
      'nolearning',
    ]);
  });

  it('forwarding entries are bridge commands, in the namespace as ip lines are', () => {
    expect(commandLine(append, 'ctt-host')).toBe(
      'bridge -n ctt-host fdb append 00:00:00:00:00:00 dev vx0 dst 2001:db8::2 self permanent',
    );
    expect(commandLine(append, null)).toBe(
      'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 2001:db8::2 self permanent',
    );
    expect(commandLine(remove, null)).toBe('bridge -n nsx fdb del 00:00:00:00:00:00 dev vx0 dst 192.0.2.2 self');
    expect(() => batchArgv(append)).toThrow('not an ip command');
    expect(() => bridgeArgv(vx())).toThrow('not a bridge command');
  });
});

describe('parsing', () => {
  it('reads a vxlan link from ip -d -json link', () => {
    const info = (data: object): object => ({ info_kind: 'vxlan', info_data: data });
    const [v4, v6] = parseLinks([
      {
        ifindex: 5,
        ifname: 'vx0',
        mtu: 1400,
        flags: ['UP'],
        linkinfo: info({ id: 42, local: '192.0.2.1', link: 'eth0', port: 4789, learning: false }),
      },
      {
        ifindex: 6,
        ifname: 'vx6',
        mtu: 1430,
        flags: [],
        linkinfo: info({ id: 43, local6: '2001:db8::1', port: 4790 }),
      },
    ]);
    expect(v4).toMatchObject({ kind: 'vxlan', vxlan: { vni: 42, local: '192.0.2.1', port: 4789, dev: 'eth0' } });
    expect(v6.vxlan).toStrictEqual({ vni: 43, local: '2001:db8::1', port: 4790 });
  });

  it('keeps only entries with a remote in the device’s own table, sorted', () => {
    const vx0 = [
      { mac: '8e:75:f9:46:c0:a4', flags: [], master: 'br0', state: 'permanent' },
      { mac: ZERO, dst: '192.0.2.3', flags: ['self'], state: 'permanent' },
      { mac: '33:33:00:00:00:01', flags: ['self'], state: 'permanent' },
      { mac: ZERO, dst: '192.0.2.2', flags: ['self'], state: 'permanent' },
    ];
    const vx6 = [{ mac: '02:AA:00:00:00:01', dst: '2001:0db8::0002', flags: ['self'], state: 'permanent' }];
    expect(parseFdb([vx6, vx0], ['vx6', 'vx0'])).toStrictEqual([
      { dev: 'vx0', dst: '192.0.2.2', mac: ZERO },
      { dev: 'vx0', dst: '192.0.2.3', mac: ZERO },
      { dev: 'vx6', dst: '2001:db8::2', mac: '02:aa:00:00:00:01' },
    ]);
    expect(() => parseFdb([vx0], ['vx0', 'vx6'])).toThrow('1 fdb lists for 2 devices');
  });
});

describe('watch', () => {
  const fdbMsg = (withDst: boolean): { type: number; body: Buffer } => {
    const h = Buffer.alloc(12);
    h.writeUInt8(7, 0); // AF_BRIDGE
    h.writeUInt8(0x02, 10); // NTF_SELF
    const lladdr = Buffer.from('0a000200000000000000' + '0000', 'hex');
    const dst = Buffer.from('08000100c0000202', 'hex');
    return { type: 29, body: Buffer.concat([h, lladdr, ...(withDst ? [dst] : [])]) };
  };
  it('hears a forwarding entry with a remote, not the MACs a bridge learns', () => {
    expect(mayConcernCtnet(fdbMsg(true))).toBe(true);
    expect(mayConcernCtnet(fdbMsg(false))).toBe(false);
  });
});
