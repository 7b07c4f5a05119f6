import { existsSync } from 'node:fs';
import type { FdbObj, NsObjects, NsRef, ObservedState } from '../model/kernel.js';
import { ROOT_NS, type Op, type TargetNs } from '../model/ops.js';
import { parseAddresses, parseLinks, parseProxyNeighbors, parseRoutes } from './parse-ip.js';
import { parseJsonStream } from './json-stream.js';
import { parseFdb } from './parse-bridge.js';
import { pool, run } from './spawn.js';
import { writeSysctls } from './sysctl.js';
import { assembleObservation, isBroken, listNamedNetns, type NsReader } from './observe-assemble.js';
import { batchLine, commandLine } from './iproute2-render.js';
import { bridgeArgv, isFdbOp } from './bridge-render.js';
import { inRuns } from './op-runs.js';
import { runNft } from './nft.js';
import { mountOp } from './mount.js';
import { alreadyGone } from './gone.js';
import type { Batch, BatchOutcome, Driver, ObserveRequest } from './types.js';

const PARALLEL = 4;
const OBSERVE_LINES = ['link show', 'address show', 'route show table all', 'neigh show proxy'].join('\n') + '\n';

/** The iproute2 driver: one `ip -batch` process per namespace and step, namespaces in parallel. */
export class Iproute2Driver implements Driver, NsReader {
  constructor(readonly hostNetns: string | null) {}

  private nsArgs(ns: TargetNs): string[] {
    if (ns === ROOT_NS) return [];
    if (ns === null) return this.hostNetns ? ['-n', this.hostNetns] : [];
    return ['-n', ns];
  }

  listNetns(): Promise<string[]> {
    return Promise.resolve(listNamedNetns());
  }

  observe(req: ObserveRequest): Promise<ObservedState> {
    return assembleObservation(this, req);
  }

  /** `ip netns list` run in the host namespace numbers the namespaces as the host's links do. */
  async netnsIds(): Promise<Record<string, number>> {
    const res = await run('ip', [...this.nsArgs(null), '-json', 'netns', 'list']);
    const list = res.stdout.trim() ? (JSON.parse(res.stdout) as { name: string; id?: number }[]) : [];
    return Object.fromEntries(list.filter((n) => n.id !== undefined).map((n) => [n.name, n.id!]));
  }

  /** One process per namespace; an interrupted dump is retried, never taken as data. */
  async observeNs(ns: NsRef): Promise<NsObjects | undefined> {
    for (let attempt = 0; ; attempt++) {
      const res = await run('ip', [...this.nsArgs(ns), '-N', '-d', '-json', '-batch', '-'], OBSERVE_LINES);
      const interrupted = /Dump was interrupted/.test(res.stderr);
      let fdbFailed: string | undefined;
      if (res.code === 0 && !interrupted) {
        const [links, addrs, routes, neigh] = parseJsonStream(res.stdout);
        const objs: NsObjects = {
          links: parseLinks(links),
          addresses: parseAddresses(addrs),
          routes: parseRoutes(routes),
          neighbors: parseProxyNeighbors(neigh),
          sysctls: {},
        };
        const vxlans = objs.links.filter((l) => l.kind === 'vxlan').map((l) => l.name);
        if (!vxlans.length) return objs;
        const fdb = await this.observeFdb(ns, vxlans);
        if (typeof fdb !== 'string') return { ...objs, fdb };
        fdbFailed = fdb;
      }
      // deleted meanwhile, or still being made by someone (a file with nothing mounted yet): not there
      if (ns !== null && (!existsSync(`/run/netns/${ns}`) || isBroken(ns))) return undefined;
      if (attempt >= 4 || !(interrupted || fdbFailed))
        throw new Error(`observing ${ns ?? 'the host'} failed: ${(fdbFailed ?? res.stderr).trim()}`);
    }
  }

  /**
   * The forwarding entries of the namespace's VXLAN devices: one `bridge -batch` asking for each
   * device's entries (only namespaces with such a device pay for it); bridge's complaint when it
   * failed (a device went meanwhile: the caller reads the namespace again).
   */
  private async observeFdb(ns: NsRef, devs: readonly string[]): Promise<FdbObj[] | string> {
    const lines = devs.map((d) => `fdb show dev ${d}`).join('\n') + '\n';
    const res = await run('bridge', [...this.nsArgs(ns), '-json', '-batch', '-'], lines);
    if (res.code === 0 && !/Dump was interrupted/.test(res.stderr)) return parseFdb(parseJsonStream(res.stdout), devs);
    return res.stderr || `bridge exited with ${res.code}`;
  }

  run(batches: readonly Batch[]): Promise<BatchOutcome[]> {
    return pool(batches, PARALLEL, (b) => this.runBatch(b));
  }

  /** Waits (up to 2 s) for the name a `link-add` wants to come free, if a link of that name is being torn down. */
  private async nameFreed(ns: TargetNs, op: Op | undefined): Promise<boolean> {
    if (op?.op !== 'link-add') return false;
    for (let i = 0; i < 40; i++) {
      const r = await run('ip', [...this.nsArgs(ns), 'link', 'show', 'dev', op.link.name]);
      if (r.code !== 0) return true;
      await new Promise((res) => setTimeout(res, 50));
    }
    return false;
  }

  private async runBatch(b: Batch): Promise<BatchOutcome> {
    const ns = b.target.ns;
    if (b.target.channel === 'mount') {
      for (const [index, op] of b.ops.entries()) {
        const message = mountOp(op, this.hostNetns);
        if (message)
          return { ran: index + 1, failures: [{ index, command: commandLine(op, this.hostNetns), message }] };
      }
      return { ran: b.ops.length, failures: [] };
    }
    if (b.target.channel === 'nft') return runNft(ns === null || ns === ROOT_NS ? this.hostNetns : ns, b.ops);
    if (b.target.channel === 'sysctl') {
      const where = ns === null || ns === ROOT_NS ? this.hostNetns : ns;
      const items = b.ops.flatMap((op) => (op.op === 'sysctl-set' ? [{ key: op.key, value: op.value }] : []));
      // every write is attempted (they are independent); each refusal names its key
      const failed = await writeSysctls(where, items);
      const failures = failed.map((f) => {
        const index = items.findIndex((it) => it.key === f.key);
        return { index, command: commandLine(b.ops[index], this.hostNetns), message: f.message };
      });
      return { ran: b.ops.length, failures };
    }
    // forwarding entries are `bridge` commands: a run of them is a `bridge -batch` of its own
    return inRuns(b.ops, isFdbOp, (ops, fdb) => this.runLines(ns, ops, fdb ? 'bridge' : 'ip'));
  }

  /** One `ip -batch` (or `bridge -batch`) process for `ops`, in order, with ip's semantics. */
  private async runLines(ns: TargetNs, all: readonly Op[], tool: 'ip' | 'bridge'): Promise<BatchOutcome> {
    const line = (op: Op): string => (tool === 'ip' ? batchLine(op, this.hostNetns) : bridgeArgv(op).join(' '));
    let from = 0;
    let waited = false;
    for (;;) {
      const ops = all.slice(from);
      const res = await run(tool, [...this.nsArgs(ns), '-batch', '-'], ops.map(line).join('\n') + '\n');
      if (res.code === 0) return { ran: all.length, failures: [] };
      const m = res.stderr.match(/Command failed -:(\d+)/);
      const index = from + (m ? Number(m[1]) - 1 : 0);
      const message = res.stderr.replace(/Command failed -:\d+\s*/g, '').trim();
      // deleting what is already gone (a route flushed with its link's last address) is done
      if (alreadyGone(all[index], message) && index + 1 < all.length) {
        from = index + 1;
        continue;
      }
      if (alreadyGone(all[index], message)) return { ran: all.length, failures: [] };
      // a link whose namespace was just let go is torn down by the kernel in the background: its
      // name comes free a moment later (a runtime's namespace un-named while its veth is replaced)
      if (!waited && /File exists/.test(message) && (await this.nameFreed(ns, all[index]))) {
        waited = true;
        from = index;
        continue;
      }
      return { ran: index + 1, failures: [{ index, command: commandLine(all[index], this.hostNetns), message }] };
    }
  }
}
