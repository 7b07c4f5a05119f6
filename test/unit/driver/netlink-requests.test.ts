import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops.js';
import { encodeRequest, encodeAttrs, strAttr } from '../../../src/driver/netlink/encode.js';
import { isNetlinkOp, requestFor } from '../../../src/driver/netlink/request.js';
import { noDevice, type Lookup } from '../../../src/driver/netlink/request-base.js';
import { ackOf, kernelMessage } from '../../../src/driver/netlink/ack.js';
import {
  NLMSGERR_ATTR_MSG,
  NLMSG_ERROR,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_REQUEST,
} from '../../../src/driver/netlink/constants.js';

/**
 * Requests compared byte for byte with what `ip` (iproute2 6.1) sends for the command the
 * iproute2 driver renders for the same operation, captured with
 * `strace -e trace=sendmsg -xx ip -n NS <command>` (sequence number set to 0). In the captures
 * br0 had ifindex 2, d1 3, d0 4, v0 5, and the namespace descriptor was fd 4.
 */
const lookup: Lookup = {
  index: (name, missing) => {
    const i = ({ br0: 2, d1: 3, d0: 4, v0: 5 } as Partial<Record<string, number>>)[name];
    if (i === undefined) throw noDevice(name, missing);
    return i;
  },
  netnsFd: () => 4,
  hostNetns: null,
};

/** The whole message as ip sent it: nlmsghdr (len, type, flags, seq 0, pid 0) then the body. */
function ipSent(type: number, flags: number, body: string): string {
  const b = Buffer.from(body.replace(/\s+/g, ''), 'hex');
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + b.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  return Buffer.concat([h, b]).toString('hex');
}
const ours = (op: Op): string => {
  const r = requestFor(op, lookup);
  return encodeRequest(r.type, r.flags | NLM_F_REQUEST | NLM_F_ACK, 0, r.header, r.attrs).toString('hex');
};

const NS = 'nsx';
const cases: [string, Op, string][] = [
  [
    'route add 10.1.0.0/16 dev d0 proto 241',
    { op: 'route-add', ns: NS, route: { family: 4, dst: '10.1.0.0/16', dev: 'd0', protocol: 241 } },
    ipSent(0x18, 0x605, '02100000fef1fd0100000000 080001000a010000 0800040004000000'),
  ],
  [
    'route del 10.1.0.0/16 dev d0 proto 241',
    { op: 'route-del', ns: NS, route: { family: 4, dst: '10.1.0.0/16', dev: 'd0', protocol: 241 } },
    ipSent(0x19, 0x005, '02100000fef1ff0000000000 080001000a010000 0800040004000000'),
  ],
  [
    'route add default via 10.2.0.9 dev d0 onlink proto 241',
    {
      op: 'route-add',
      ns: NS,
      route: { family: 4, dst: 'default', via: '10.2.0.9', dev: 'd0', onlink: true, protocol: 241 },
    },
    ipSent(0x18, 0x605, '02000000fef1000104000000 080005000a020009 0800040004000000'),
  ],
  [
    'address add 10.2.0.1/24 broadcast + dev d0',
    { op: 'addr-add', ns: NS, address: { dev: 'd0', family: 4, cidr: '10.2.0.1/24' } },
    ipSent(0x14, 0x605, '0218000004000000 080002000a020001 080001000a020001 080004000a0200ff'),
  ],
  [
    'address del 10.2.0.1/24 dev d0',
    { op: 'addr-del', ns: NS, address: { dev: 'd0', family: 4, cidr: '10.2.0.1/24' } },
    ipSent(0x15, 0x005, '0218000004000000 080002000a020001 080001000a020001'),
  ],
  [
    'address add 2001:db8::1/64 dev d0 nodad',
    { op: 'addr-add', ns: NS, address: { dev: 'd0', family: 6, cidr: '2001:db8::1/64' } },
    ipSent(
      0x14,
      0x605,
      '0a40020004000000 14000200 20010db8000000000000000000000001 14000100 20010db8000000000000000000000001',
    ),
  ],
  [
    'neigh add proxy 10.9.9.9 dev d0 protocol 241',
    { op: 'neigh-add', ns: NS, neighbor: { family: 4, dst: '10.9.9.9', dev: 'd0', proxy: true, protocol: 241 } },
    ipSent(0x1c, 0x605, '020000000400000080000800 05000c00f1000000 080001000a090909'),
  ],
  [
    'neigh del proxy 10.9.9.9 dev d0',
    { op: 'neigh-del', ns: NS, neighbor: { family: 4, dst: '10.9.9.9', dev: 'd0', proxy: true, protocol: 241 } },
    ipSent(0x1d, 0x005, '020000000400000080000800 080001000a090909'),
  ],
  [
    'link set dev d0 mtu 1400 address 02:00:00:00:00:01 master br0 alias foo group 5 up',
    {
      op: 'link-set',
      ns: NS,
      name: 'd0',
      set: { mtu: 1400, mac: '02:00:00:00:00:01', master: 'br0', alias: 'foo', group: 5, up: true },
    },
    ipSent(
      0x10,
      0x005,
      '00000000040000000100000001000000 0800040078050000 0a000100020000000001 0000 08000a0002000000 07001400666f6f00 08001b0005000000',
    ),
  ],
  [
    // unlike ip, a link-set without a group names its link (IFLA_IFNAME, ifindex 0): no lookup request
    'link set dev d0 nomaster down (by name)',
    { op: 'link-set', ns: NS, name: 'd0', set: { master: null, up: false } },
    ipSent(0x10, 0x005, '00000000000000000000000001000000 0700030064300000 08000a0000000000'),
  ],
  [
    'link add name v0 mtu 1450 address … master br0 up type veth peer name eth0 netns P address … mtu 1450',
    {
      op: 'link-add',
      ns: NS,
      link: {
        name: 'v0',
        kind: 'veth',
        mtu: 1450,
        mac: '02:00:00:00:00:02',
        master: 'br0',
        up: true,
        peer: { name: 'eth0', ns: 'P', mac: '02:00:00:00:00:03', mtu: 1450 },
      },
    },
    ipSent(
      0x10,
      0x605,
      '00000000000000000100000001000000 08000400aa050000 0a000100020000000002 0000 08000a0002000000 0700030076300000' +
        ' 4c001200 0800010076657468 40000200 3c000100 00000000000000000000000000000000 08001c0004000000 0a000100020000000003 0000 08000400aa050000 090003006574683000000000',
    ),
  ],
  ['link del dev v0', { op: 'link-del', ns: NS, name: 'v0' }, ipSent(0x11, 0x005, '00000000050000000000000000000000')],
  [
    'link set dev d1 netns P name moved0',
    { op: 'link-move', ns: NS, name: 'd1', to: 'P', newName: 'moved0' },
    ipSent(0x10, 0x005, '00000000030000000000000000000000 08001c0004000000 0b0003006d6f76656430 0000'),
  ],
  [
    'link del group 5',
    { op: 'link-del-group', ns: NS, group: 5 },
    ipSent(0x11, 0x005, '00000000000000000000000000000000 08001b0005000000'),
  ],
  [
    'link add name vx0 mtu 1400 up type vxlan id 42 local 192.0.2.1 dstport 4789 nolearning dev d1',
    {
      op: 'link-add',
      ns: NS,
      link: {
        name: 'vx0',
        kind: 'vxlan',
        mtu: 1400,
        up: true,
        vxlan: { vni: 42, local: '192.0.2.1', port: 4789, dev: 'd1' },
      },
    },
    ipSent(
      0x10,
      0x605,
      '00000000000000000100000001000000 0800040078050000 0800030076783000 3c001200 090001007678 6c616e000000' +
        '2c000200 0800030003000000 080001002a000000 08000400c0000201 0500070000000000 06000f0012b50000',
    ),
  ],
  [
    // bridge(8), not ip: `bridge fdb append 00:00:00:00:00:00 dev d0 dst 192.0.2.2 self permanent`
    'fdb append 00:00:00:00:00:00 dev d0 dst 192.0.2.2 self permanent',
    { op: 'fdb-add', ns: NS, fdb: { dev: 'd0', dst: '192.0.2.2', mac: '00:00:00:00:00:00' } },
    ipSent(0x1c, 0xc05, '0700000004000000c0000200 0a000200000000000000 0000 08000100c0000202'),
  ],
  [
    'fdb del 00:00:00:00:00:00 dev d0 dst 192.0.2.2 self permanent',
    { op: 'fdb-del', ns: NS, fdb: { dev: 'd0', dst: '192.0.2.2', mac: '00:00:00:00:00:00' } },
    ipSent(0x1d, 0x005, '0700000004000000c0000200 0a000200000000000000 0000 08000100c0000202'),
  ],
];

describe('netlink requests are the bytes ip sends', () => {
  for (const [command, op, want] of cases) it(command, () => expect(ours(op)).toBe(want));

  it("a device that does not resolve is refused with ip's words, before anything is sent", () => {
    expect(() =>
      requestFor({ op: 'addr-add', ns: NS, address: { dev: 'nope', family: 4, cidr: '10.0.0.1/24' } }, lookup),
    ).toThrow('Cannot find device "nope"');
    expect(() => requestFor({ op: 'link-set', ns: NS, name: 'd0', set: { master: 'nobr' } }, lookup)).toThrow(
      'Error: argument "nobr" is wrong: Device does not exist',
    );
  });

  it('taps, namespaces, sysctls and nft are left to iproute2', () => {
    expect(isNetlinkOp({ op: 'link-add', ns: null, link: { name: 'tap0', kind: 'tap' } })).toBe(false);
    expect(isNetlinkOp({ op: 'netns-add', name: 'x' })).toBe(false);
    expect(isNetlinkOp({ op: 'sysctl-set', ns: null, key: 'net.ipv4.ip_forward', value: '1' })).toBe(false);
    expect(isNetlinkOp({ op: 'link-add', ns: null, link: { name: 'br0', kind: 'bridge' } })).toBe(true);
    expect(
      isNetlinkOp({ op: 'fdb-add', ns: null, fdb: { dev: 'vx0', dst: '192.0.2.2', mac: '00:00:00:00:00:00' } }),
    ).toBe(true);
  });
});

describe('ACKs', () => {
  const errorMsg = (
    errno: number,
    flags: number,
    tlv?: string,
  ): { type: number; flags: number; seq: number; body: Buffer } => {
    const head = Buffer.alloc(4 + 16);
    head.writeInt32LE(-errno, 0);
    head.writeUInt32LE(40, 4); // the echoed request's length
    const echoed = flags & NLM_F_CAPPED ? Buffer.alloc(0) : Buffer.alloc(24);
    const tlvs = tlv === undefined ? Buffer.alloc(0) : encodeAttrs([strAttr(NLMSGERR_ATTR_MSG, tlv)]);
    return { type: NLMSG_ERROR, flags, seq: 1, body: Buffer.concat([head, echoed, tlvs]) };
  };

  it('a plain refusal reads as ip prints it: RTNETLINK answers: strerror', () => {
    expect(kernelMessage(ackOf(errorMsg(17, NLM_F_CAPPED)))).toBe('RTNETLINK answers: File exists');
    expect(ackOf(errorMsg(0, NLM_F_CAPPED)).errno).toBe(0);
  });

  it("an extended ACK's message wins, capped or with the request echoed", () => {
    expect(kernelMessage(ackOf(errorMsg(22, NLM_F_CAPPED | NLM_F_ACK_TLVS, 'Nexthop has invalid gateway')))).toBe(
      'Error: Nexthop has invalid gateway.',
    );
    expect(kernelMessage(ackOf(errorMsg(22, NLM_F_ACK_TLVS, 'Invalid prefix.')))).toBe('Error: Invalid prefix.');
  });
});
