import type { NsObjects, NsRef, ObservedState } from '../../model/kernel.js';
import { Iproute2Driver } from '../iproute2.js';
import { assembleObservation, isBroken, listNamedNetns, type NsReader } from '../observe-assemble.js';
import type { Batch, BatchOutcome, Driver, ObserveRequest } from '../types.js';
import { SysError } from './libc.js';
import { netnsIdsVia } from './nsid.js';
import { observeWithSocket } from './observe-ns.js';
import { NetlinkSocket } from './socket.js';

const ENOENT = 2;
const EINVAL = 22;

/**
 * The in-process driver: observation over rtnetlink, one socket per namespace and no process at
 * all, returning exactly what the iproute2 driver returns for the same kernel state. Sysctls and
 * nft tables are read by the same helpers as there. Executing operations still goes through
 * iproute2 (the next step of issue 15).
 */
export class NetlinkDriver implements Driver, NsReader {
  private readonly ip: Iproute2Driver;

  constructor(readonly hostNetns: string | null) {
    this.ip = new Iproute2Driver(hostNetns);
  }

  async listNetns(): Promise<string[]> {
    return listNamedNetns();
  }

  observe(req: ObserveRequest): Promise<ObservedState> {
    return assembleObservation(this, req);
  }

  async observeNs(ns: NsRef): Promise<NsObjects | undefined> {
    const where = ns ?? this.hostNetns;
    let sock: NetlinkSocket;
    try {
      sock = NetlinkSocket.open(where);
    } catch (e) {
      // deleted meanwhile, or still being made by someone (a file with nothing mounted yet): not there
      const gone = e instanceof SysError && (e.errno === ENOENT || (e.errno === EINVAL && where !== null && isBroken(where)));
      if (ns !== null && gone) return undefined;
      throw new Error(`observing ${ns ?? 'the host'} failed: ${(e as Error).message}`);
    }
    try {
      return observeWithSocket(sock);
    } finally {
      sock.close();
    }
  }

  async netnsIds(): Promise<Record<string, number>> {
    const sock = NetlinkSocket.open(this.hostNetns);
    try {
      return netnsIdsVia(sock, listNamedNetns());
    } finally {
      sock.close();
    }
  }

  run(batches: readonly Batch[]): Promise<BatchOutcome[]> {
    return this.ip.run(batches);
  }
}
