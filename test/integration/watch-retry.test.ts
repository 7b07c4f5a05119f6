import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, ipj, sh } from './sandbox.js';
import { until, WatchHarness, type LogLine } from './watch-harness.js';
import { container, routedNet } from '../fixtures.js';

/**
 * Issue 19 §3, with the resync far away (600 s): a run rejected because of a foreign object runs
 * again once that object is gone, and a failure's retry backoff holds against kernel events.
 */
const NET = routedNet('public', '192.168.212.0/24', ', uplink: enp0s5');
const CT = (n: number): string =>
  container(`ct${n}`, `{name: venet0, network: public, addresses: [192.168.212.${100 + n}]}`);
const HOST_END = 've-ct1-venet0';

const at = (l: LogLine): number => Date.parse(l.time!);

describe('ctnet watch: a rejected run comes back when the way is clear; the retry backoff holds', () => {
  const sb = new Sandbox();
  const w = new WatchHarness();
  const holder = join(sb.dir, 'host-holder');
  const logged = (from: number, pred: (l: LogLine) => boolean): boolean => w.lines.slice(from).some(pred);
  const up = (): boolean => {
    try {
      const a = ipj(sb.ns('ct1'), 'addr', 'show', 'dev', 'venet0');
      return a.some((l) => l.addr_info.some((x: { local: string }) => x.local === '192.168.212.101'));
    } catch {
      return false; // no namespace yet, or no venet0 in it yet
    }
  };

  beforeAll(async () => {
    sb.external('lan', 'enp0s5', '192.168.212.1/24', '192.168.212.254/24');
    // a foreign link with the host end's name: the manifests are rejected (exit 3 for apply)
    sh('ip', '-n', sb.host, 'link', 'add', HOST_END, 'type', 'bridge');
    sb.write('net.yaml', NET);
    sb.write('ct1.yaml', CT(1));
    await w.start(sb, [sb.manifestDir, '--resync', '600', '--debounce', '100']);
  });
  afterAll(() => {
    w.stop();
    try {
      sh('umount', holder);
    } catch {
      // not parked (the test passed)
    }
    sb.cleanup();
  });

  it('a rejected run is retried once the foreign object in the way is deleted', async () => {
    await until('rejected', () => logged(0, (l) => l.event === 'rejected' && l.msg.includes(HOST_END)), 10_000);
    await w.settled();
    expect(up()).toBe(false);
    const from = w.lines.length;
    sh('ip', '-n', sb.host, 'link', 'del', HOST_END);
    await until('ct1 is up with its address', up, 15_000);
    await until('the run is logged', () => logged(from, (l) => l.event === 'reconcile' && l.result === 'applied'));
    const run = w.lines.slice(from).find((l) => l.event === 'reconcile' && l.result === 'applied');
    expect(run?.trigger, JSON.stringify(run)).toBe('kernel');
  });

  it('a rejected run is retried once a foreign namespace in the way is deleted', async () => {
    // a namespace someone else made, under the name a new container asks for
    sh('ip', 'netns', 'add', sb.ns('ct2'));
    await w.settled();
    const from = w.lines.length;
    sb.write('ct2.yaml', CT(2));
    await until('rejected', () => logged(from, (l) => l.event === 'rejected' && l.msg.includes(sb.ns('ct2'))), 10_000);
    await w.settled();
    const cleared = w.lines.length;
    sh('ip', 'netns', 'del', sb.ns('ct2'));
    await until('ct2 is made', () => sb.namespaces().includes(sb.ns('ct2')), 15_000);
    await until('the run is logged', () => logged(cleared, (l) => l.event === 'reconcile' && l.result === 'applied'));
    expect(w.lines.slice(cleared).some((l) => l.trigger === 'resync')).toBe(false);
  });

  it('while a retry is pending, kernel events do not run it early', async () => {
    await w.settled(1000);
    const from = w.lines.length;
    const hostFile = `/run/netns/${sb.host}`;
    // park the namespace playing the host: every observation fails (transient), the namespace lives on
    writeFileSync(holder, '');
    sh('mount', '--bind', hostFile, holder);
    sh('umount', hostFile);
    const since = (): LogLine[] => w.lines.slice(from);
    let n = 0;
    // kernel events in the host all along: a bridge made and deleted every 100 ms
    const churn = setInterval(() => {
      const name = `churn${n++ % 4}`;
      try {
        sh('nsenter', `--net=${holder}`, 'ip', 'link', 'add', name, 'type', 'bridge');
        sh('nsenter', `--net=${holder}`, 'ip', 'link', 'del', name);
      } catch {
        // a slow machine: the next tick makes events all the same
      }
    }, 100);
    try {
      process.kill(w.bg.pid, 'SIGHUP');
      await until('three retries scheduled', () => since().filter((l) => l.event === 'retry').length >= 3, 20_000);
    } finally {
      clearInterval(churn);
      sh('mount', '--bind', holder, hostFile);
      sh('umount', holder);
    }
    const lines = since();
    // kernel events were heard meanwhile (the churn reached the watcher)
    expect(lines.filter((l) => l.event === 'reconcile').length).toBeGreaterThanOrEqual(3);
    for (const [i, l] of lines.entries()) {
      if (l.event !== 'retry') continue;
      const next = lines.slice(i + 1).find((x) => x.event === 'reconcile');
      // a SIGHUP sent while a run was under way runs right after it, backoff or not: by design
      if (!next || next.triggers?.includes('sighup')) continue;
      // the next run starts no sooner than the logged delay (log times: ms, the run's own length after it)
      const pair = `${JSON.stringify(l)} then ${JSON.stringify(next)}`;
      expect(at(next) - at(l), pair).toBeGreaterThanOrEqual(l.delayMs! - 5);
      expect(next.triggers, JSON.stringify(next)).toContain('retry');
    }
    process.kill(w.bg.pid, 'SIGHUP');
    await until('converged', () => logged(from, (l) => l.event === 'reconcile' && l.result === 'converged'), 10_000);
  });
});
