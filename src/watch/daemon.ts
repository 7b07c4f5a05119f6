import type { DriverName } from '../driver/select.js';
import { Cycle } from './cycle.js';
import { DriftProbe } from './drift-probe.js';
import { watchManifests } from './file-watcher.js';
import { watchKernel } from './kernel-events.js';
import { watchNftables } from './nft-events.js';
import { watchNetnsDir } from './netns-dir.js';
import { Loop, type Trigger } from './loop.js';
import type { Logger } from './logger.js';
import type { WatchMetrics } from './metrics.js';
import { recordedNetns } from '../model/inventory.js';
import { NFT_TABLE, nftKernelName } from '../model/nft.js';
import { instanceOf } from '../state/store.js';

export interface WatchOptions {
  readonly dir: string;
  readonly stateDir: string;
  readonly hostNetns: string | null;
  readonly node?: string;
  readonly driverName?: DriverName;
  readonly resyncSeconds: number;
  readonly debounceMs: number;
  readonly allowEmpty: boolean;
  readonly log: Logger;
  readonly metrics?: WatchMetrics;
  /** How often proxy entries and recorded sysctls are checked (they raise no kernel event). */
  readonly probeMs?: number;
}

const PROBE_MS = 2000;

export interface Watch {
  trigger(t: Trigger): void;
  /** Stops the triggers and the kernel monitor at once, then waits for the running batch. */
  stop(): Promise<void>;
}

/**
 * The watch daemon without its process concerns (lock, signals, HTTP, exit): the loop fed by the
 * file watcher, kernel events, the proxy/sysctl probe and the resync timer, each run a full
 * `Cycle`. After each run the owned namespaces are made audible to the event socket and the
 * probe takes its new view. The caller holds the instance lock for as long as this runs.
 */
export async function startWatch(o: WatchOptions): Promise<Watch> {
  const log = o.log;
  // namespace ids kernel events named since the last run started; undefined: unknown (read everything)
  let touched: Set<number> | undefined = new Set();
  const cycle = new Cycle({
    dir: o.dir,
    stateDir: o.stateDir,
    hostNetns: o.hostNetns,
    node: o.node,
    driverName: o.driverName,
    allowEmpty: o.allowEmpty,
    log,
  });
  const loop: Loop = new Loop({
    resyncMs: o.resyncSeconds * 1000,
    againMs: Math.max(o.debounceMs, 50),
    run: async (triggers) => {
      const named = touched;
      touched = new Set();
      probe.beforeRun();
      const out = await cycle.run(triggers, named && { nsids: [...named] });
      o.metrics?.record(out);
      netnsDir.ensure();
      // a namespace just made audible may have changed unheard: the next run reads it again
      if (out.inventory) cycle.unheard(kernel.own(Object.keys(recordedNetns(out.inventory))));
      if (out.result !== 'changing') await probe.rebase(out.inventory);
      return { transient: out.transient, again: out.result === 'changing', wakeMs: out.releaseMs };
    },
    onCrash: (e) =>
      log.error(
        { event: 'crash', err: e },
        `reconcile crashed: ${(e as { message?: string }).message ?? String(e)}; retrying`,
      ),
    onRetry: (delayMs, failures) =>
      log.warn({ event: 'retry', delayMs, failures }, `retrying in ${delayMs / 1000} s (failure ${failures} in a row)`),
  });
  const files = await watchManifests(o.dir, {
    debounceMs: o.debounceMs,
    onChange: () => loop.trigger('file'),
    onError: (e) => log.warn({ event: 'file-watch-error' }, `watching ${o.dir}: ${e.message}; the resync still runs`),
  });
  const kernel = watchKernel({
    hostNetns: o.hostNetns,
    debounceMs: o.debounceMs,
    onChange: (t) => {
      if (!t) touched = undefined;
      else if (touched) for (const id of t.nsids) touched.add(id);
      loop.trigger('kernel');
    },
    onWarning: (m) => log.warn({ event: 'kernel-monitor' }, m),
  });
  // the table lives in the namespace playing the host; its events name no namespace to read
  const nft = watchNftables({
    hostNetns: o.hostNetns,
    table: nftKernelName(NFT_TABLE, instanceOf(o.stateDir)),
    debounceMs: o.debounceMs,
    onChange: () => loop.trigger('nftables'),
    onWarning: (m) => log.warn({ event: 'nftables-monitor' }, m),
  });
  const netnsDir = watchNetnsDir({
    debounceMs: o.debounceMs,
    wanted: (name) => cycle.namesNetns(name),
    // a namespace made or deleted: the next run's observation reads a name new to it, and reads
    // everything when a name leads to another namespace than before (incremental.ts)
    onChange: () => loop.trigger('kernel'),
    onWarning: (m) => log.warn({ event: 'netns-watch' }, m),
  });
  const probe = new DriftProbe({
    hostNetns: o.hostNetns,
    intervalMs: o.probeMs ?? PROBE_MS,
    busy: () => loop.busy,
    onDrift: (namespaces) => {
      // read again by the next run, with the host and what kernel events named
      cycle.unheard(namespaces);
      loop.trigger('probe');
    },
    onWarning: (m) => log.warn({ event: 'probe' }, m),
  });
  log.info(
    {
      event: 'started',
      dir: o.dir,
      resyncSeconds: o.resyncSeconds,
      debounceMs: o.debounceMs,
      hostNetns: o.hostNetns,
      allowEmpty: o.allowEmpty,
      kernelEvents: kernel.source,
      nftablesEvents: nft.listening,
    },
    `watching ${o.dir} (resync every ${o.resyncSeconds} s${o.hostNetns ? `, host namespace ${o.hostNetns}` : ''}; kernel events through ${kernel.source === 'netlink' ? 'one netlink socket, all namespaces' : 'ip monitor'})`,
  );
  loop.trigger('start');
  return {
    trigger: (t) => loop.trigger(t),
    async stop() {
      const batch = loop.stop();
      probe.close();
      nft.close();
      netnsDir.close();
      await Promise.all([files.close(), kernel.close()]);
      await batch;
    },
  };
}
