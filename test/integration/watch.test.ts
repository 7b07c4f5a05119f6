import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Sandbox, hostSnapshot, ipj, ping, sh, type Background } from './sandbox.js';
import { container, doc } from '../fixtures.js';

/** Issue 14, first slice: `ctnet watch` as a daemon against a sandbox, observed from outside. */
const NET = doc('Network', 'lan', '{type: bridge, subnets: [10.61.0.0/24], gateway: 10.61.0.1}');
const CT = (n: number): string => container(`ct${n}`, `{name: eth0, network: lan, addresses: [10.61.0.${10 + n}/24]}`);

type LogLine = { level: string; msg: string; event?: string; trigger?: string; result?: string; kernelEvents?: string };

/** Polls an observed outcome (async: the daemon's output must keep flowing while we wait). */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Processes whose command line mentions this sandbox's host namespace and `monitor`. */
function monitors(host: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv.includes(host) && argv.includes('monitor') ? [Number(p)] : [];
      } catch {
        return [];
      }
    });
}

describe('ctnet watch', () => {
  const sb = new Sandbox();
  const lines: LogLine[] = [];
  let bg: Background | undefined; // unset if beforeAll failed before the spawn
  const running = (): Background => {
    if (!bg) throw new Error('the watch was not started');
    return bg;
  };
  let port = 0;
  const url = (path: string): string => `http://127.0.0.1:${port}${path}`;
  /** Sum of the samples of a metric whose labels contain every `labels` pair. */
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    // a kept-alive socket the server closes just as it is reused ("other side closed"): asked again once
    const get = async (): Promise<string> => (await fetch(url('/metrics'))).text();
    const text = await get().catch(get);
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  };
  const reconciles = (trigger?: string): Promise<number> =>
    metric('ctnet_reconciles_total', trigger ? { trigger } : {});
  const logged = (pred: (l: LogLine) => boolean): boolean => lines.some(pred);
  const hasNs = (n: string): boolean => readdirSync('/run/netns').includes(sb.ns(n));

  beforeAll(async () => {
    port = await freePort();
    sb.write('lan.yaml', NET);
    sb.write('ct1.yaml', CT(1));
    bg = sb.ctnetBackground([
      'watch',
      sb.manifestDir,
      '--resync',
      '1',
      '--debounce',
      '100',
      '--log-format',
      'json',
      '--metrics-addr',
      `127.0.0.1:${port}`,
    ]);
    let rest = '';
    bg.child.stdout!.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as LogLine);
    });
  });
  afterAll(() => {
    if (process.env.WATCH_LOG) console.log(lines.map((l) => JSON.stringify(l)).join('\n'));
    bg?.kill('SIGKILL');
    sb.cleanup();
  });

  it('(a) converges at start', async () => {
    await until('ct1 reaches its gateway', () => hasNs('ct1') && ping(sb.ns('ct1'), '10.61.0.1'), 10_000);
    await until('a converged start is counted', async () => (await reconciles('start')) === 1);
    const start = lines.find((l) => l.event === 'reconcile' && l.trigger === 'start')!;
    expect(start).toMatchObject({
      result: 'applied',
      plan: { create: expect.any(Number), delete: 0 },
      durationMs: expect.any(Number),
    });
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('(b) applies a manifest edit', async () => {
    sb.write('ct2.yaml', CT(2));
    await until('ct2 reaches ct1', () => hasNs('ct2') && ping(sb.ns('ct2'), '10.61.0.11'));
    // the kernel shows the result before the run has verified it and been counted
    await until('a file-triggered reconcile', async () => (await reconciles('file')) > 0);
  });

  it('(c) repairs drift: an owned link deleted by hand is back within 2 s, and logged', async () => {
    const t0 = Date.now();
    sh('ip', '-n', sb.host, 'link', 'del', 've-ct1-eth0');
    await until(
      've-ct1-eth0 is back on the bridge',
      () => ipj(sb.host, 'link', 'show').some((l) => l.ifname === 've-ct1-eth0' && l.master === 'br-lan'),
      2000,
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    await until('ct1 reaches its gateway again', () => ping(sb.ns('ct1'), '10.61.0.1'));
    // the line comes once the run has verified its result
    await until('a drift-repair line', () =>
      logged((l) => l.event === 'drift-repair' && l.msg.includes('ve-ct1-eth0')),
    );
    await until('link repairs counted', async () => (await metric('ctnet_drift_repairs_total', { kind: 'link' })) > 0);
    // the kernel monitor is a trigger source of its own
    await until('a kernel-triggered reconcile', async () => (await reconciles('kernel')) > 0);
  });

  it('(d) keeps the last good state on invalid input, degraded; converges once fixed', async () => {
    const before = hostSnapshot(sb.host);
    sb.write('ct3.yaml', CT(3).replace('10.61.0.13/24', '10.61.0.300/24'));
    await until('the error is logged with its place', () =>
      logged((l) => l.event === 'invalid-manifest' && /ct3\.yaml:\d+:\d+: /.test(l.msg)),
    );
    await until('degraded', async () => (await metric('ctnet_degraded')) === 1);
    expect((await fetch(url('/healthz'))).status).toBe(200);
    await until(
      'the last good state enforced again since',
      async () => (await metric('ctnet_reconciles_total', { result: 'invalid' })) >= 2,
    );
    expect(hasNs('ct3')).toBe(false);
    expect(hostSnapshot(sb.host)).toEqual(before);
    sb.write('ct3.yaml', CT(3));
    await until('ct3 reaches ct1', () => hasNs('ct3') && ping(sb.ns('ct3'), '10.61.0.11'));
    await until('no longer degraded', async () => (await metric('ctnet_degraded')) === 0);
  });

  it('(e) an emptied directory deletes nothing', async () => {
    const files = ['lan.yaml', 'ct1.yaml', 'ct2.yaml', 'ct3.yaml'];
    const texts = [NET, CT(1), CT(2), CT(3)];
    for (const f of files) sb.remove(f);
    await until('the empty directory is reported', () =>
      logged((l) => l.level === 'error' && l.msg.includes('holds no manifests')),
    );
    await until('degraded', async () => (await metric('ctnet_degraded')) === 1);
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2'), sb.ns('ct3')]);
    expect(ping(sb.ns('ct1'), '10.61.0.12')).toBe(true);
    files.forEach((f, i) => sb.write(f, texts[i]));
    await until('no longer degraded', async () => (await metric('ctnet_degraded')) === 0);
  });

  it('goes quiet: its own changes do not feed an endless loop', async () => {
    // only the resync may keep counting: two resyncs in a row with no other reconcile between
    await until(
      'two quiet resyncs',
      async () => {
        const others = async (): Promise<number> => (await reconciles()) - (await reconciles('resync'));
        const [o0, r0] = [await others(), await reconciles('resync')];
        await until('two more resyncs', async () => (await reconciles('resync')) >= r0 + 2, 4000);
        return (await others()) === o0;
      },
      12_000,
    );
    expect(await metric('ctnet_managed_objects', { kind: 'netns' })).toBe(3);
  });

  it('(h) a second ctnet apply meanwhile exits 4 naming the watch; status and plan still work (they only read)', () => {
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`pid ${running().pid}`);
    const st = sb.ctnet('--json', 'status');
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout).namespaces.length).toBeGreaterThan(0);
    expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
  });

  it('(f) SIGHUP reconciles', async () => {
    const n = await reconciles('sighup');
    process.kill(running().pid, 'SIGHUP');
    await until('a sighup reconcile', async () => (await reconciles('sighup')) > n);
  });

  it('an object someone keeps changing back is contested: left alone for a while, reported, then repaired', async () => {
    const up = (): boolean => ipj(sb.host, 'link', 'show', 've-ct2-eth0')[0].flags.includes('UP');
    for (let i = 0; i < 3; i++) {
      sh('ip', '-n', sb.host, 'link', 'set', 've-ct2-eth0', 'down');
      await until(`repair ${i + 1}`, up, 4000);
    }
    await until('reported as contested', () => logged((l) => l.event === 'contested' && l.msg.includes('ve-ct2-eth0')));
    expect(await metric('ctnet_contested_objects')).toBe(1);
    // the fight stops: changed once more, it stays as the other party left it for two resyncs
    sh('ip', '-n', sb.host, 'link', 'set', 've-ct2-eth0', 'down');
    const r0 = await reconciles('resync');
    await until('two resyncs', async () => (await reconciles('resync')) >= r0 + 2, 4000);
    expect(up()).toBe(false);
    // once the backoff is over it is repaired again
    await until('repaired after the backoff', up, 10_000);
    await until('no longer contested', async () => (await metric('ctnet_contested_objects')) === 0, 4000);
  }, 30_000);

  it('(g) SIGTERM: exit 0 within 5 s, no monitor left, lock released, kernel as it was', async () => {
    // kernel events come through one in-process netlink socket, or (no binding) one ip monitor child
    const source = lines.find((l) => l.event === 'started')?.kernelEvents;
    expect(monitors(sb.host).length).toBe(source === 'netlink' ? 0 : 1);
    const before = hostSnapshot(sb.host);
    const t0 = Date.now();
    process.kill(running().pid, 'SIGTERM');
    const r = await Promise.race([running().done, new Promise<null>((res) => setTimeout(() => res(null), 5000))]);
    expect(r, 'still running 5 s after SIGTERM').not.toBeNull();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r!.status).toBe(0);
    expect(monitors(sb.host)).toEqual([]);
    expect(lines.at(-1)?.event).toBe('stopped');
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sb.namespaces()).toEqual([sb.ns('ct1'), sb.ns('ct2'), sb.ns('ct3')]);
    const after = sb.ctnet('apply', sb.manifestDir);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('No changes.');
    expect(sb.ctnet('destroy', '-q').code).toBe(0);
  });
});
