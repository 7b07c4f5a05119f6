import type { LinkObj, VxlanObj } from '../model/kernel.js';
import type { NsRef } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import type { Change } from './types.js';

/** `vni 42 local 192.0.2.1 port 4789 dev eth0`: a tunnel as plans show it. */
export const vxlanText = (x: VxlanObj | undefined): string | undefined =>
  x && `vni ${x.vni} local ${x.local} port ${x.port}${x.dev ? ` dev ${x.dev}` : ''}`;

/** A tunnel that differs: the kernel cannot change a VXLAN device's id, addresses or port in place. */
export function vxlanChange(want: LinkObj, have: LinkObj): Change | undefined {
  if (want.kind !== 'vxlan' || have.kind !== 'vxlan') return undefined;
  const [to, from] = [vxlanText(want.vxlan), vxlanText(have.vxlan)];
  return to !== undefined && to !== from ? { field: 'vxlan', from: from ?? null, to } : undefined;
}

export const VXLAN_REPLACE = "a VXLAN device's tunnel (id, local address, port, underlay) cannot change in place";

/** A VXLAN device, made whole in one request; the alias follows (the kernel ignores it on add). */
export function createVxlan(ns: NsRef, l: LinkObj, alias: string): Op[] {
  return [
    {
      op: 'link-add',
      ns,
      link: {
        name: l.name,
        kind: 'vxlan',
        mtu: l.mtu,
        mac: l.mac,
        master: l.master ?? undefined,
        up: l.up,
        vxlan: l.vxlan,
      },
    },
    { op: 'link-set', ns, name: l.name, set: { alias } },
  ];
}
