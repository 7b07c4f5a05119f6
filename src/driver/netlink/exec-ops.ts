import type { Op } from '../../model/ops.js';
import { alreadyGone, goneErrno } from '../gone.js';
import { commandLine } from '../iproute2-render.js';
import type { BatchOutcome } from '../types.js';
import { kernelMessage } from './ack.js';
import { SysError, strerror } from './libc.js';
import { BatchLookup, linkIndexOf } from './lookup.js';
import { noDevice, Refusal, type Request } from './request-base.js';
import { requestFor } from './request.js';
import { NetlinkSocket } from './socket.js';
import { isTapAdd, tapAdd } from './tap.js';

const EEXIST = 17;
const ENODEV = 19;

/**
 * Runs link (taps included), address, route and neighbour operations in one namespace over one netlink socket,
 * in order, with the iproute2 driver's semantics: a batch stops at its first refusal (the
 * operations after it did not run, the executor retries them), deleting what is already gone is
 * done, and a link-add refused because its name is still held by a link the kernel is tearing
 * down (its namespace was just let go) waits for the name once and tries again.
 *
 * Each request is sent and its ACK read before the next goes: rtnetlink handles a request
 * inside send(), so the ACK is already there; sending the next ones first would only save a recv
 * per operation, and would run operations after a refusal that ip -batch never runs.
 */
export async function runNetlinkOps(
  where: string | null,
  ops: readonly Op[],
  hostNetns: string | null,
): Promise<BatchOutcome> {
  const fail = (index: number, message: string): BatchOutcome => ({
    ran: index + 1,
    failures: [{ index, command: commandLine(ops[index], hostNetns), message }],
  });
  let sock: NetlinkSocket;
  try {
    sock = NetlinkSocket.open(where);
  } catch (e) {
    // what `ip -n NS -batch` says when the namespace is not there: the whole batch fails at its first line
    const why = e instanceof SysError ? strerror(e.errno) : (e as Error).message;
    return fail(0, `Cannot open network namespace "${where}": ${why}`);
  }
  const lookup = new BatchLookup(sock, hostNetns, namedLinks(ops));
  let waited = false;
  try {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      let message: string;
      if (op.op === 'link-add' && isTapAdd(op)) {
        // an ioctl on /dev/net/tun, in the namespace, as `ip tuntap add` does
        const l = op.link;
        const refused =
          l.mtu !== undefined || l.mac !== undefined || l.master || l.up
            ? `tap ${l.name}: settings belong in a link-set operation`
            : tapAdd(where, l.name);
        if (refused === undefined) {
          forgetNames(op, lookup);
          continue;
        }
        return fail(i, refused);
      }
      try {
        const req = requestFor(op, lookup);
        const { ack } = sock.transact(req.type, req.flags, req.header, req.attrs);
        if (ack.errno === 0) {
          forgetNames(op, lookup);
          continue;
        }
        if (goneErrno(op, ack.errno)) continue;
        message = byName(op, req) && ack.errno === ENODEV ? noDevice(op.name, 'dev').message : kernelMessage(ack);
        if (!waited && ack.errno === EEXIST && op.op === 'link-add' && (await nameFreed(sock, op.link.name))) {
          waited = true;
          i--;
          continue;
        }
      } catch (e) {
        if (!(e instanceof Refusal) && !(e instanceof SysError)) throw e;
        message = e.message;
      }
      if (alreadyGone(op, message)) continue;
      return fail(i, message);
    }
    return { ran: ops.length, failures: [] };
  } finally {
    lookup.close();
    sock.close();
  }
}

/** How many distinct links the operations refer to by name (their device, or a bridge as master). */
function namedLinks(ops: readonly Op[]): number {
  const names = new Set<string>();
  for (const op of ops) {
    if (op.op === 'link-set' || op.op === 'link-del' || op.op === 'link-move') names.add(op.name);
    if (op.op === 'link-set' && op.set.master) names.add(op.set.master);
    if (op.op === 'link-add' && op.link.master) names.add(op.link.master);
    if (op.op === 'addr-add' || op.op === 'addr-del') names.add(op.address.dev);
    if (op.op === 'route-add' || op.op === 'route-replace' || op.op === 'route-del')
      if (op.route.dev) names.add(op.route.dev);
    if (op.op === 'neigh-add' || op.op === 'neigh-replace' || op.op === 'neigh-del') names.add(op.neighbor.dev);
    if (op.op === 'fdb-add' || op.op === 'fdb-del') names.add(op.fdb.dev);
    if (op.op === 'link-add' && op.link.vxlan?.dev) names.add(op.link.vxlan.dev);
  }
  return names.size;
}

/** A link-set sent by name (ifindex 0): the kernel's ENODEV is then ip's "Cannot find device". */
const byName = (op: Op, req: Request): op is Op & { op: 'link-set' } =>
  op.op === 'link-set' && req.header.readInt32LE(4) === 0;

/** A name made, deleted or moved away may now be another link, or none. */
function forgetNames(op: Op, lookup: BatchLookup): void {
  if (op.op === 'link-add') lookup.forget(op.link.name);
  if (op.op === 'link-del' || op.op === 'link-move') lookup.forget(op.name);
  if (op.op === 'link-del-group') lookup.forgetAll();
}

/** Waits (up to 2 s) for a link of that name to be gone; false when it stays. */
async function nameFreed(sock: NetlinkSocket, name: string): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (linkIndexOf(sock, name) === undefined) return true;
    await new Promise((res) => setTimeout(res, 50));
  }
  return false;
}
