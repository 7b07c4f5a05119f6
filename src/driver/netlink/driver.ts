import type { NsObjects, NsRef, ObservedState } from '../../model/kernel.js';
import { ROOT_NS, type Op } from '../../model/ops.js';
import { promised } from '../../model/promised.js';
import { Iproute2Driver } from '../iproute2.js';
import {
  assembleObservation,
  isBroken,
  listNamedNetns,
  type NsReader,
  type SysctlReader,
} from '../observe-assemble.js';
import type { Batch, BatchOutcome, Driver, ObserveRequest } from '../types.js';
import { pool } from '../spawn.js';
import { runNetlinkOps } from './exec-ops.js';
import { isNetlinkOp } from './request.js';
import { isTapAdd } from './tap.js';
import { netnsAdd, netnsDel } from './netns-lifecycle.js';
import { alreadyGone } from '../gone.js';
import { commandLine } from '../iproute2-render.js';
import { SysError } from './libc.js';
import { netnsIdsVia } from './nsid.js';
import { observeWithSocket } from './observe-ns.js';
import { libnftablesLoads, nftLibraryExec } from './libnftables.js';
import { nftCommand, runNft, type NftExec } from '../nft.js';
import { NetlinkSocket } from './socket.js';
import { readSysctlFamilyIn, readSysctlsIn, readSysctlTreeIn, writeSysctlsIn } from './sysctl-read.js';

const ENOENT = 2;
const EINVAL = 22;

const PARALLEL = 4;

/** Sysctls read in-process in any namespace (sysctl-read.ts): no `ip netns exec`. */
const inProcessSysctls: SysctlReader = {
  keys: (netns, keys) => promised(() => readSysctlsIn(netns, keys)),
  family: (netns, family, leaf) => promised(() => readSysctlFamilyIn(netns, family, leaf)),
  tree: (netns, dirs) => promised(() => readSysctlTreeIn(netns, dirs)),
};

/**
 * The in-process driver: observation over rtnetlink, one socket per namespace and no process at
 * all, returning exactly what the iproute2 driver returns for the same kernel state; execution of
 * link, address, route and proxy-neighbour operations over the same kind of socket. Sysctls are
 * read and written in-process too, in any namespace (sysctl-read.ts); nft tables are read and
 * replaced through libnftables in-process (libnftables.ts); taps are made in-process too (an
 * ioctl, tap.ts); what this driver does not execute itself (mounts of runtimes' namespaces) is
 * handed to the iproute2 driver; namespaces are made and removed in-process too
 * (netns-lifecycle.ts).
 */
export class NetlinkDriver implements Driver, NsReader {
  private readonly ip: Iproute2Driver;
  readonly sysctlReader = inProcessSysctls;
  /** libnftables in-process when it loads, else the `nft` command. */
  readonly nftExec: NftExec = libnftablesLoads() ? nftLibraryExec : nftCommand;

  constructor(readonly hostNetns: string | null) {
    this.ip = new Iproute2Driver(hostNetns);
  }

  listNetns(): Promise<string[]> {
    return Promise.resolve(listNamedNetns());
  }

  observe(req: ObserveRequest): Promise<ObservedState> {
    return assembleObservation(this, req);
  }

  observeNs(ns: NsRef): Promise<NsObjects | undefined> {
    return promised(() => this.observeNsNow(ns));
  }

  private observeNsNow(ns: NsRef): NsObjects | undefined {
    const where = ns ?? this.hostNetns;
    let sock: NetlinkSocket;
    try {
      sock = NetlinkSocket.open(where);
    } catch (e) {
      // deleted meanwhile, or still being made by someone (a file with nothing mounted yet): not there
      const gone =
        e instanceof SysError && (e.errno === ENOENT || (e.errno === EINVAL && where !== null && isBroken(where)));
      if (ns !== null && gone) return undefined;
      throw new Error(`observing ${ns ?? 'the host'} failed: ${(e as Error).message}`, { cause: e });
    }
    try {
      return observeWithSocket(sock, ns === null ? 'the host' : `netns ${ns}`);
    } finally {
      sock.close();
    }
  }

  netnsIds(names?: readonly string[]): Promise<Record<string, number>> {
    return promised(() => {
      const sock = NetlinkSocket.open(this.hostNetns);
      try {
        return netnsIdsVia(sock, names ?? listNamedNetns());
      } finally {
        sock.close();
      }
    });
  }

  run(batches: readonly Batch[]): Promise<BatchOutcome[]> {
    return pool(batches, PARALLEL, (b) => this.runBatch(b));
  }

  /**
   * A batch in runs of operations: those this driver executes go over netlink, the others (a
   * tap between two veths, say) to iproute2 as a batch of their own, in order. The first run
   * that stops ends the batch, with indexes counted from the batch's start.
   */
  private async runBatch(b: Batch): Promise<BatchOutcome> {
    const ns = b.target.ns;
    if (b.target.channel === 'ip' && ns === ROOT_NS) return this.runNetnsOps(b);
    if (b.target.channel === 'sysctl') return this.runSysctlOps(b);
    if (b.target.channel === 'nft')
      return runNft(ns === null || ns === ROOT_NS ? this.hostNetns : ns, b.ops, this.nftExec);
    if (b.target.channel !== 'ip') return (await this.ip.run([b]))[0];
    const where = ns ?? this.hostNetns;
    for (let from = 0; from < b.ops.length;) {
      const here = (op: Op): boolean => isNetlinkOp(op) || isTapAdd(op);
      const inProcess = here(b.ops[from]);
      let to = from;
      while (to < b.ops.length && here(b.ops[to]) === inProcess) to++;
      const ops = b.ops.slice(from, to);
      const o = inProcess
        ? await runNetlinkOps(where, ops, this.hostNetns)
        : (await this.ip.run([{ target: b.target, ops }]))[0];
      if (o.failures.length || o.ran < ops.length)
        return { ran: from + o.ran, failures: o.failures.map((f) => ({ ...f, index: f.index + from })) };
      from = to;
    }
    return { ran: b.ops.length, failures: [] };
  }

  /** Sysctl writes, in-process: every one attempted (they are independent), each refusal naming its key. */
  private runSysctlOps(b: Batch): BatchOutcome {
    const where = b.target.ns === null || b.target.ns === ROOT_NS ? this.hostNetns : b.target.ns;
    const items = b.ops.flatMap((op) => (op.op === 'sysctl-set' ? [{ key: op.key, value: op.value }] : []));
    const failures = writeSysctlsIn(where, items).map((f) => {
      const index = items.findIndex((it) => it.key === f.key);
      return { index, command: commandLine(b.ops[index], this.hostNetns), message: f.message };
    });
    return { ran: b.ops.length, failures };
  }

  /**
   * Namespace creation and deletion, in-process and in order; stops at the first refusal, a deletion of what is gone is
   * done.
   */
  private runNetnsOps(b: Batch): BatchOutcome {
    for (const [index, op] of b.ops.entries()) {
      const message =
        op.op === 'netns-add'
          ? netnsAdd(op.name)
          : op.op === 'netns-del'
            ? netnsDel(op.name)
            : `${op.op} is not a namespace operation`;
      if (message && !alreadyGone(op, message))
        return { ran: index + 1, failures: [{ index, command: commandLine(op, this.hostNetns), message }] };
    }
    return { ran: b.ops.length, failures: [] };
  }
}
