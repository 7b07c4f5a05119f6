import type { CtnetError } from '../model/errors.js';
import { lockError } from '../engine/reconcile.js';
import { waitingError } from '../engine/confirm.js';
import { msLeft, readPending } from '../state/pending.js';
import { acquireLock } from '../state/lock.js';
import { startWatch, type Watch } from '../watch/daemon.js';
import { makeLogger, type LogFormat, type Logger } from '../watch/logger.js';
import { WatchMetrics } from '../watch/metrics.js';
import { parseListenAddr, serveMetrics, type ListenAddr, type MetricsServer } from '../watch/metrics-server.js';
import { onSignals } from '../watch/signals.js';
import { printErrors, type GlobalOpts } from './output.js';
import { favourSteadyMemory } from './daemon-heap.js';

export interface WatchCliOpts {
  readonly resync?: string;
  readonly debounce?: string;
  readonly allowEmpty?: boolean;
  readonly logFormat?: string;
  readonly metricsAddr?: string;
}

interface Parsed {
  readonly resyncSeconds: number;
  readonly debounceMs: number;
  readonly format: LogFormat;
  readonly addr?: ListenAddr;
}

/** A batch still running after this long is abandoned on SIGTERM: the engine is crash-safe. */
const STOP_DEADLINE_MS = 4000;

function parse(g: GlobalOpts, o: WatchCliOpts): Parsed | CtnetError[] {
  const errors: CtnetError[] = [];
  const bad = (message: string): void => void errors.push({ code: 'invalid', message });
  const resyncSeconds = Number(o.resync ?? 30);
  if (!Number.isFinite(resyncSeconds) || resyncSeconds < 0.1)
    bad(`--resync takes a number of seconds (at least 0.1), not "${o.resync}"`);
  const debounceMs = Number(o.debounce ?? 250);
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000)
    bad(`--debounce takes milliseconds (0-60000), not "${o.debounce}"`);
  const format = o.logFormat ?? (g.json ? 'json' : 'text');
  if (format !== 'text' && format !== 'json') bad(`--log-format must be text or json, not "${o.logFormat}"`);
  const addr = o.metricsAddr === undefined ? undefined : parseListenAddr(o.metricsAddr);
  if (o.metricsAddr !== undefined && !addr)
    bad(`--metrics-addr takes HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464), not "${o.metricsAddr}"`);
  // a format other than these two is among the errors
  return errors.length ? errors : { resyncSeconds, debounceMs, format: format as LogFormat, addr };
}

/**
 * `ctnet watch DIR`: takes the instance lock for the life of the process, serves metrics, runs
 * the daemon until SIGTERM or SIGINT, then finishes the running batch, stops every trigger
 * source (the kernel monitor included), releases the lock and exits 0; the kernel stays as it is.
 */
export async function cmdWatch(g: GlobalOpts, dir: string, o: WatchCliOpts): Promise<number> {
  const p = parse(g, o);
  if (Array.isArray(p)) return printErrors(p);
  let lock;
  try {
    lock = await acquireLock(g.stateDir, g.waitSeconds);
  } catch (e) {
    return printErrors([{ code: 'observe', message: (e as Error).message }]);
  }
  if (!lock.ok) return printErrors([lockError(g.stateDir, lock.holder)]);
  // watch converges and never rolls back: it does not start over a change waiting for `ctnet confirm`
  const waiting = readPending(g.stateDir);
  if (waiting && msLeft(waiting) > 0) {
    lock.release();
    return printErrors([waitingError(waiting)]);
  }
  favourSteadyMemory();
  const log = makeLogger({ format: p.format, level: g.verbose ? 'debug' : g.quiet ? 'warn' : 'info', color: g.color });
  const metrics = new WatchMetrics();
  let server: MetricsServer | undefined;
  let watch: Watch | undefined;
  // handlers first: a SIGTERM during start-up must still end in an orderly exit
  let requestStop: (s: NodeJS.Signals) => void = () => undefined;
  const stopSignal = new Promise<NodeJS.Signals>((res) => (requestStop = res));
  const off = onSignals({
    reload: () => {
      log.info({ event: 'signal', signal: 'SIGHUP' }, 'SIGHUP: reconciling');
      watch?.trigger('sighup');
    },
    stop: (s) => requestStop(s),
  });
  try {
    if (p.addr) server = await serveMetrics(p.addr, metrics);
    if (server)
      log.info(
        { event: 'metrics', host: p.addr!.host, port: server.port },
        `metrics on http://${p.addr!.host}:${server.port}/metrics, health on /healthz`,
      );
    watch = await startWatch({
      dir,
      stateDir: g.stateDir,
      hostNetns: g.hostNetns,
      node: g.node,
      driverName: g.driverName,
      resyncSeconds: p.resyncSeconds,
      debounceMs: p.debounceMs,
      allowEmpty: !!o.allowEmpty,
      log,
      metrics,
    });
    const signal = await stopSignal;
    log.info({ event: 'signal', signal }, `${signal}: finishing the running batch, then exiting`);
    forceExitLater(log, lock.release);
    await watch.stop();
    await server?.close();
    server = undefined;
    lock.release();
    log.info({ event: 'stopped' }, 'stopped: lock released, kernel left as it is');
    return 0;
  } catch (e) {
    log.error({ event: 'fatal' }, `watch cannot run: ${(e as Error).message}`);
    await watch?.stop();
    return 1;
  } finally {
    off();
    await server?.close();
    lock.release();
  }
}

/** The promise of exiting within 5 s holds even when a kernel command hangs. */
function forceExitLater(log: Logger, release: () => void): void {
  setTimeout(() => {
    log.warn(
      { event: 'stop-deadline' },
      `the running reconcile did not finish within ${STOP_DEADLINE_MS / 1000} s; exiting anyway (the next run converges)`,
    );
    release();
    process.exit(0);
  }, STOP_DEADLINE_MS).unref();
}
