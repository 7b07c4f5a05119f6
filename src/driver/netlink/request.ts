import type { NsRef } from '../../model/kernel.js';
import type { Op } from '../../model/ops.js';
import type { Attr } from './encode.js';
import { addressRequest } from './request-address.js';
import { linkAddRequest, linkDelGroupRequest, linkDelRequest, linkMoveRequest, linkSetRequest } from './request-link.js';
import { neighRequest } from './request-neigh.js';
import { routeRequest } from './request-route.js';

/** One rtnetlink request, before its header is written (NLM_F_REQUEST and NLM_F_ACK are added when sent). */
export interface Request {
  readonly type: number;
  readonly flags: number;
  readonly header: Buffer;
  readonly attrs: readonly Attr[];
}

/**
 * A refusal found before anything reaches the kernel (a device name that resolves to nothing),
 * with the words `ip` prints for it, so both drivers report the same failure.
 */
export class Refusal extends Error {}

/** What building a request needs from where it runs: the batch's namespace and the named ones. */
export interface Lookup {
  /** The ifindex of a device in the batch's namespace; throws a Refusal when there is none. */
  index(name: string, missing: 'dev' | 'master'): number;
  /** An open descriptor of a named namespace (closed by the lookup after the batch); throws a Refusal. */
  netnsFd(name: string): number;
  /** The namespace that plays the host (`--host-netns`), or null for the real one. */
  readonly hostNetns: string | null;
}

/** `ip`'s words when a name given as a device does not resolve. */
export const noDevice = (name: string, missing: 'dev' | 'master'): Refusal =>
  new Refusal(missing === 'dev' ? `Cannot find device "${name}"` : `Error: argument "${name}" is wrong: Device does not exist`);

/** The namespace a link goes to: a named one by descriptor, the real host as PID 1's (`netns 1`). */
export function netnsAttr(to: NsRef, l: Lookup, fdType: number, pidType: number): Attr {
  const name = to ?? l.hostNetns;
  const b = Buffer.alloc(4);
  if (name === null) {
    b.writeUInt32LE(1);
    return [pidType, b];
  }
  b.writeUInt32LE(l.netnsFd(name));
  return [fdType, b];
}

/** Whether `op` is an rtnetlink request here; taps go to iproute2 (tuntap is an ioctl), namespaces have their own path. */
export function isNetlinkOp(op: Op): boolean {
  switch (op.op) {
    case 'link-add': return op.link.kind !== 'tap';
    case 'link-set': case 'link-del': case 'link-move': case 'link-del-group':
    case 'addr-add': case 'addr-del':
    case 'route-add': case 'route-replace': case 'route-del':
    case 'neigh-add': case 'neigh-replace': case 'neigh-del':
      return true;
    default: return false;
  }
}

/** The request that does `op`, exactly as `ip` builds it for the rendered command. */
export function requestFor(op: Op, l: Lookup): Request {
  switch (op.op) {
    case 'link-add': return linkAddRequest(op.link, l);
    case 'link-set': return linkSetRequest(l.index(op.name, 'dev'), op.set, l);
    case 'link-del': return linkDelRequest(l.index(op.name, 'dev'));
    case 'link-move': return linkMoveRequest(l.index(op.name, 'dev'), op.to, op.newName, l);
    case 'link-del-group': return linkDelGroupRequest(op.group);
    case 'addr-add': case 'addr-del': return addressRequest(op.op === 'addr-add', op.address, l.index(op.address.dev, 'dev'));
    case 'route-add': case 'route-replace': case 'route-del': return routeRequest(op.op, op.route, op.route.dev === undefined ? undefined : l.index(op.route.dev, 'dev'));
    case 'neigh-add': case 'neigh-replace': case 'neigh-del': return neighRequest(op.op, op.neighbor, l.index(op.neighbor.dev, 'dev'));
    default: throw new Error(`${op.op} is not executed over netlink`);
  }
}
