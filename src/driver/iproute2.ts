import { existsSync } from 'node:fs';
import type { NsObjects, NsRef, ObservedState } from '../model/kernel.js';
import { ROOT_NS, type Op, type TargetNs } from '../model/ops.js';
import { parseAddresses, parseLinks, parseProxyNeighbors, parseRoutes } from './parse-ip.js';
import { parseJsonStream } from './json-stream.js';
import { pool, run } from './spawn.js';
import { writeSysctls } from './sysctl.js';
import {
  assembleObservation,
  isBroken,
  listNamedNetns,
  runsInsideNamedNetns,
  type NsReader,
} from './observe-assemble.js';
import { batchLine, commandLine } from './iproute2-render.js';
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
      if (res.code === 0 && !interrupted) {
        const [links, addrs, routes, neigh] = parseJsonStream(res.stdout);
        return {
          links: parseLinks(links),
          addresses: parseAddresses(addrs),
          routes: parseRoutes(routes),
          neighbors: parseProxyNeighbors(neigh),
          sysctls: {},
        };
      }
      // deleted meanwhile, or still being made by someone (a file with nothing mounted yet): not there
      if (ns !== null && (!existsSync(`/run/netns/${ns}`) || isBroken(ns))) return undefined;
      if (attempt >= 4 || !interrupted) throw new Error(`observing ${ns ?? 'the host'} failed: ${res.stderr.trim()}`);
    }
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
    let from = 0;
    let waited = false;
    for (;;) {
      const ops = b.ops.slice(from);
      const res = await run(
        'ip',
        [...this.nsArgs(ns), '-batch', '-'],
        ops.map((op) => batchLine(op, this.hostNetns)).join('\n') + '\n',
      );
      if (res.code === 0) return { ran: b.ops.length, failures: [] };
      const m = res.stderr.match(/Command failed -:(\d+)/);
      const index = from + (m ? Number(m[1]) - 1 : 0);
      const message = res.stderr.replace(/Command failed -:\d+\s*/g, '').trim();
      // deleting what is already gone (a route flushed with its link's last address) is done
      if (alreadyGone(b.ops[index], message) && index + 1 < b.ops.length) {
        from = index + 1;
        continue;
      }
      if (alreadyGone(b.ops[index], message)) return { ran: b.ops.length, failures: [] };
      // a link whose namespace was just let go is torn down by the kernel in the background: its
      // name comes free a moment later (a runtime's namespace un-named while its veth is replaced)
      if (!waited && /File exists/.test(message) && (await this.nameFreed(ns, b.ops[index]))) {
        waited = true;
        from = index;
        continue;
      }
      return { ran: index + 1, failures: [{ index, command: commandLine(b.ops[index], this.hostNetns), message }] };
    }
  }
}

export { runsInsideNamedNetns };
