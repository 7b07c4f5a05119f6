import type { AddressObj, LinkObj, NeighborObj, NsRef, RouteObj } from '../model/kernel.js';
import type { Command } from './types.js';

/** Builders for the exact iproute2 argv of every change; nothing here runs anything. */
const ip = (ns: NsRef | 'root', ...argv: (string | undefined | false)[]): Command => ({
  ns,
  ip: argv.filter((a): a is string => typeof a === 'string'),
});

const opt = (flag: string, value: string | number | undefined): string[] => (value === undefined ? [] : [flag, String(value)]);

export function createVeth(host: LinkObj, peer: LinkObj, peerNs: string): Command[] {
  return [
    ip(null, 'link', 'add', 'name', host.name, ...opt('mtu', host.mtu), ...(host.master ? ['master', host.master] : []), 'up',
      'type', 'veth', 'peer', 'name', peer.name, 'netns', peerNs, ...opt('address', peer.mac), ...opt('mtu', peer.mtu)),
    ip(null, 'link', 'set', 'dev', host.name, 'alias', host.alias!),
    ip(peerNs, 'link', 'set', 'dev', peer.name, 'alias', peer.alias!, 'up'),
  ];
}

export function createBridge(ns: NsRef, br: LinkObj): Command[] {
  return [
    ip(ns, 'link', 'add', 'name', br.name, ...opt('mtu', br.mtu), ...opt('address', br.mac), 'up', 'type', 'bridge'),
    ip(ns, 'link', 'set', 'dev', br.name, 'alias', br.alias!),
  ];
}

/** One `link set` line for every attribute that differs; undefined fields are left alone. */
export function setLink(ns: NsRef, want: LinkObj, have: LinkObj | undefined): Command | undefined {
  const args: string[] = [];
  if (want.mtu !== undefined && want.mtu !== have?.mtu) args.push('mtu', String(want.mtu));
  if (want.mac !== undefined && want.mac !== have?.mac) args.push('address', want.mac);
  if (want.master !== undefined && (want.master ?? undefined) !== (have?.master ?? undefined)) {
    args.push(...(want.master ? ['master', want.master] : ['nomaster']));
  }
  if (want.alias !== undefined && want.alias !== have?.alias) args.push('alias', want.alias);
  if (want.up !== undefined && want.up !== have?.up) args.push(want.up ? 'up' : 'down');
  return args.length ? ip(ns, 'link', 'set', 'dev', want.name, ...args) : undefined;
}

export const deleteLink = (ns: NsRef, name: string): Command => ip(ns, 'link', 'del', 'dev', name);
export const groupLink = (ns: NsRef, name: string, group: number): Command => ip(ns, 'link', 'set', 'dev', name, 'group', String(group));
export const deleteGroup = (ns: NsRef, group: number): Command => ip(ns, 'link', 'del', 'group', String(group));

export function addAddress(ns: NsRef, a: AddressObj): Command {
  const prefix = Number(a.cidr.split('/')[1]);
  const brd = a.family === 4 && prefix <= 30 ? ['broadcast', '+'] : [];
  // DAD would leave IPv6 addresses tentative after apply returns; ctnet owns these addresses.
  return ip(ns, 'address', 'add', a.cidr, ...brd, 'dev', a.dev, a.family === 6 && 'nodad');
}
export const deleteAddress = (ns: NsRef, a: AddressObj): Command => ip(ns, 'address', 'del', a.cidr, 'dev', a.dev);

/** `ip -batch` cannot take `-6`, so IPv6 defaults are written as `::/0`. */
const routeDst = (r: RouteObj): string => (r.dst === 'default' ? (r.family === 6 ? '::/0' : 'default') : r.dst);

export function route(verb: 'add' | 'replace' | 'del', ns: NsRef, r: RouteObj): Command {
  return ip(ns, 'route', verb, routeDst(r), ...opt('via', r.via), ...opt('dev', r.dev), r.onlink === true && 'onlink', ...opt('proto', r.protocol));
}

export function neighbor(verb: 'add' | 'replace' | 'del', ns: NsRef, n: NeighborObj): Command {
  return ip(ns, 'neigh', verb, 'proxy', n.dst, 'dev', n.dev, ...(verb === 'del' ? [] : opt('protocol', n.protocol)));
}

export const netnsAdd = (name: string): Command[] => [ip('root', 'netns', 'add', name), ip(name, 'link', 'set', 'dev', 'lo', 'up')];
export const netnsDel = (name: string): Command => ip('root', 'netns', 'del', name);
export const sysctl = (ns: NsRef, key: string, value: string): Command => ({ ns, sysctl: { key, value } });
