import type { AddressObj, LinkKind, LinkObj, NeighborObj, RouteObj } from '../model/kernel.js';
import { parseCidr } from '../model/ip.js';

/** `ip -N -d -json` output → typed kernel objects. Unknown fields are ignored on purpose. */
type J = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

function kindOf(j: J): LinkKind {
  const k = str((j.linkinfo as J | undefined)?.info_kind);
  if (k === 'veth' || k === 'bridge') return k;
  if (k === 'tun') return 'tap';
  return k === undefined ? 'device' : 'other';
}

export function parseLinks(doc: unknown): LinkObj[] {
  return (doc as J[]).map((j) => ({
    name: str(j.ifname)!,
    kind: kindOf(j),
    alias: str(j.ifalias),
    mtu: num(j.mtu),
    mac: str(j.address),
    up: ((j.flags as string[] | undefined) ?? []).includes('UP'),
    master: str(j.master),
    ifindex: num(j.ifindex),
    peerIfindex: num(j.link_index),
    peerNetnsId: num(j.link_netnsid),
    group: num(j.group) ?? 0,
  }));
}

export function parseAddresses(doc: unknown): AddressObj[] {
  const out: AddressObj[] = [];
  for (const link of doc as J[]) {
    for (const a of (link.addr_info as J[] | undefined) ?? []) {
      const family = a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : undefined;
      const c = family && parseCidr(`${str(a.local)}/${num(a.prefixlen)}`);
      if (!family || !c) continue;
      out.push({
        dev: str(link.ifname)!,
        family,
        cidr: `${c.address}/${c.prefix}`,
        tentative: a.tentative === true || a.dadfailed === true,
        dynamic: a.dynamic === true,
      });
    }
  }
  return out;
}

/** Main-table unicast routes only; the local and broadcast tables are the kernel's business. */
export function parseRoutes(doc: unknown): RouteObj[] {
  const out: RouteObj[] = [];
  for (const r of doc as J[]) {
    const table = str(r.table);
    if ((table !== undefined && table !== '254' && table !== 'main') || (r.type !== undefined && r.type !== '1' && r.type !== 'unicast')) continue;
    const dstText = str(r.dst)!;
    const via = str(r.gateway);
    const family = dstText.includes(':') || via?.includes(':') || r.pref !== undefined ? 6 : 4;
    const dst = dstText === 'default' ? 'default' : normalizeDst(dstText, family);
    out.push({ family, dst, dev: str(r.dev), via: via && parseCidr(via)?.address, onlink: ((r.flags as string[]) ?? []).includes('onlink'), protocol: num(r.protocol) });
  }
  return out;
}

function normalizeDst(text: string, family: 4 | 6): string {
  const c = parseCidr(text.includes('/') ? text : `${text}/${family === 4 ? 32 : 128}`);
  return c ? `${c.address}/${c.prefix}` : text;
}

export function parseProxyNeighbors(doc: unknown): NeighborObj[] {
  return (doc as J[])
    .filter((n) => 'proxy' in n)
    .map((n) => {
      const c = parseCidr(str(n.dst)!)!;
      return { family: c.family, dst: c.address, dev: str(n.dev)!, proxy: true as const, protocol: num(n.protocol) };
    });
}
