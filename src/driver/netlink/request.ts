import type { Op } from '../../model/ops.js';
import type { Lookup, Request } from './request-base.js';
import { addressRequest } from './request-address.js';
import {
  linkAddRequest,
  linkDelGroupRequest,
  linkDelRequest,
  linkMoveRequest,
  linkSetRequest,
} from './request-link.js';
import { fdbRequest } from './request-fdb.js';
import { neighRequest } from './request-neigh.js';
import { routeRequest } from './request-route.js';

/**
 * Whether `op` is an rtnetlink request here; taps go to iproute2 (tuntap is an ioctl), namespaces have their own path.
 */
export function isNetlinkOp(op: Op): boolean {
  switch (op.op) {
    case 'link-add':
      return op.link.kind !== 'tap';
    case 'link-set':
    case 'link-del':
    case 'link-move':
    case 'link-del-group':
    case 'addr-add':
    case 'addr-del':
    case 'route-add':
    case 'route-replace':
    case 'route-del':
    case 'neigh-add':
    case 'neigh-replace':
    case 'neigh-del':
    case 'fdb-add':
    case 'fdb-del':
      return true;
    // namespaces, mounts, sysctls and nftables have their own paths
    case 'netns-add':
    case 'netns-del':
    case 'netns-attach':
    case 'netns-detach':
    case 'sysctl-set':
    case 'nft-table':
    case 'nft-delete':
    default:
      return false;
  }
}

/** The request that does `op`, exactly as `ip` builds it for the rendered command. */
export function requestFor(op: Op, l: Lookup): Request {
  switch (op.op) {
    case 'link-add':
      return linkAddRequest(op.link, l);
    case 'link-set':
      // by name (no lookup) unless the group changes: see linkSetRequest
      return linkSetRequest(op.set.group === undefined ? op.name : l.index(op.name, 'dev'), op.set, l);
    case 'link-del':
      return linkDelRequest(l.index(op.name, 'dev'));
    case 'link-move':
      return linkMoveRequest(l.index(op.name, 'dev'), op.to, op.newName, l);
    case 'link-del-group':
      return linkDelGroupRequest(op.group);
    case 'addr-add':
    case 'addr-del':
      return addressRequest(op.op === 'addr-add', op.address, l.index(op.address.dev, 'dev'));
    case 'route-add':
    case 'route-replace':
    case 'route-del':
      return routeRequest(op.op, op.route, op.route.dev === undefined ? undefined : l.index(op.route.dev, 'dev'));
    case 'neigh-add':
    case 'neigh-replace':
    case 'neigh-del':
      return neighRequest(op.op, op.neighbor, l.index(op.neighbor.dev, 'dev'));
    case 'fdb-add':
    case 'fdb-del':
      return fdbRequest(op.op, op.fdb, l.index(op.fdb.dev, 'dev'));
    // isNetlinkOp keeps these away: namespaces, mounts, sysctls and nftables have their own paths
    case 'netns-add':
    case 'netns-del':
    case 'netns-attach':
    case 'netns-detach':
    case 'sysctl-set':
    case 'nft-table':
    case 'nft-delete':
    default:
      throw new Error(`${op.op} is not executed over netlink`);
  }
}
