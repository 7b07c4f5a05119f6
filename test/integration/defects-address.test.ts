import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * Addresses and MTUs: an address changed within its subnet converges in one apply without a
 * moment without an address; MTUs fall back to the network's, else 1500; kernel-made addresses
 * are never drift.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `ip -o monitor address` in a namespace, started and proven to listen before anything runs. */
async function monitor(ns: string) {
  const child = spawn('ip', ['-n', ns, '-o', 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // a probe address on lo: once its add and delete are both seen, every earlier event has been read
  const probe = async (addr: string): Promise<void> => {
    const seen = (): number =>
      out.split('\n').filter((l) => l.startsWith('Deleted ') && l.includes(` ${addr}/32 `)).length;
    const start = seen();
    // repeated until seen: `ip monitor` may not have subscribed yet on a busy machine
    for (let i = 0; i < 40 && seen() === start; i++) {
      sh('ip', '-n', ns, 'addr', 'add', `${addr}/32`, 'dev', 'lo');
      sh('ip', '-n', ns, 'addr', 'del', `${addr}/32`, 'dev', 'lo');
      for (let t = 0; t < 10 && seen() === start; t++) await sleep(25);
    }
    if (seen() === start) throw new Error(`ip monitor in ${ns} does not report events`);
  };
  await probe('127.0.0.99');
  return {
    /** Reads everything the kernel reported until now, then stops. */
    async stop(): Promise<string[]> {
      await probe('127.0.0.98');
      child.kill();
      return out.split('\n').filter((l) => l.trim() && !l.includes(' 127.0.0.9'));
    },
  };
}

/**
 * Replays the monitor's events for one device: the set of the device's addresses in `family`,
 * starting from `initial`, must never be empty. Returns the moments it was.
 */
function gaps(events: readonly string[], dev: string, initial: readonly string[]): string[] {
  const held = new Set(initial);
  const found: string[] = [];
  for (const e of events) {
    const m = /^(Deleted )?\d+: (\S+)\s+inet (\S+)/.exec(e);
    if (!m || m[2] !== dev) continue;
    if (m[1]) held.delete(m[3]);
    else held.add(m[3]);
    if (held.size === 0) found.push(`no IPv4 address on ${dev} after: ${e.replace(/\\.*$/, '').trim()}`);
  }
  return found;
}

const v4 = (ns: string, dev: string): string[] =>
  ipj(ns, 'addr', 'show', 'dev', dev).flatMap((l) =>
    l.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`),
  );

/** Index in `plan -o json` changes of the first change matching action and an object substring. */
const indexOf = (changes: any[], action: string, type: string, text: string): number =>
  changes.findIndex((c) => c.action === action && c.type === type && String(c.object).includes(text));

describe('a bridged container address changed within its subnet', () => {
  const sb = new Sandbox();
  const net = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}');
  const ct1 = (addr: string): string => container('ct1', `{name: eth0, network: lan, addresses: [${addr}]}`);
  const ct2 = container('ct2', '{name: eth0, network: lan, addresses: [10.30.0.20/24]}');
  beforeAll(() => {
    sb.write('m.yaml', docs(net, ct1('10.30.0.11/24'), ct2));
  });
  afterAll(() => sb.cleanup());

  it('10.30.0.11/24 → 10.30.0.12/24: one apply, new before old, never without an address', async () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(v4(sb.ns('ct1'), 'eth0')).toEqual(['10.30.0.11/24']);
    sb.write('m.yaml', docs(net, ct1('10.30.0.12/24'), ct2));

    const changes = JSON.parse(sb.ctnet('plan', '-o', 'json', sb.manifestDir).stdout).changes;
    const add = indexOf(changes, 'create', 'address', '10.30.0.12/24');
    const del = indexOf(changes, 'delete', 'address', '10.30.0.11/24');
    expect(add).toBeGreaterThanOrEqual(0);
    expect(del).toBeGreaterThan(add);

    const mon = await monitor(sb.ns('ct1'));
    const r = sb.ctnet('apply', sb.manifestDir);
    const events = await mon.stop();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // the monitor saw the change happen, and never a moment without an address
    expect(events.some((e) => /^\d+: eth0\s+inet 10\.30\.0\.12\/24/.test(e))).toBe(true);
    expect(gaps(events, 'eth0', ['10.30.0.11/24'])).toEqual([]);
    expect(v4(sb.ns('ct1'), 'eth0')).toEqual(['10.30.0.12/24']);
    expect(ping(sb.ns('ct2'), '10.30.0.12')).toBe(true);
    expect(ping(sb.ns('ct1'), '10.30.0.1')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});

describe("a bridge network's gateway changed within its subnet", () => {
  const sb = new Sandbox();
  const net = (gw: string): string => doc('Network', 'lan', `{type: bridge, subnets: [10.30.0.0/24], gateway: ${gw}}`);
  const ct1 = container('ct1', '{name: eth0, network: lan, addresses: [10.30.0.11/24]}');
  beforeAll(() => {
    sb.write('m.yaml', docs(net('10.30.0.1'), ct1));
  });
  afterAll(() => sb.cleanup());

  it('10.30.0.1 → 10.30.0.2: one apply, new before old, the bridge never without an address', async () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(v4(sb.host, 'br-lan')).toEqual(['10.30.0.1/24']);
    sb.write('m.yaml', docs(net('10.30.0.2'), ct1));

    const changes = JSON.parse(sb.ctnet('plan', '-o', 'json', sb.manifestDir).stdout).changes;
    const add = indexOf(changes, 'create', 'address', '10.30.0.2/24');
    const del = indexOf(changes, 'delete', 'address', '10.30.0.1/24');
    expect(add).toBeGreaterThanOrEqual(0);
    expect(del).toBeGreaterThan(add);

    const mon = await monitor(sb.host);
    const r = sb.ctnet('apply', sb.manifestDir);
    const events = await mon.stop();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(events.some((e) => /^\d+: br-lan\s+inet 10\.30\.0\.2\/24/.test(e))).toBe(true);
    expect(gaps(events, 'br-lan', ['10.30.0.1/24'])).toEqual([]);
    expect(v4(sb.host, 'br-lan')).toEqual(['10.30.0.2/24']);
    expect(ipj(sb.ns('ct1'), 'route', 'show', 'default').map((r) => r.gateway)).toEqual(['10.30.0.2']);
    expect(ping(sb.ns('ct1'), '10.30.0.2')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});

describe('a routed container address changed', () => {
  const sb = new Sandbox();
  let ext = '';
  const net = routedNet('public', '192.168.200.0/24', ', uplink: enp0s5');
  const ct1 = (addr: string): string => container('ct1', `{name: venet0, network: public, addresses: [${addr}]}`);
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write('m.yaml', docs(net, ct1('192.168.200.101')));
  });
  afterAll(() => sb.cleanup());

  it('192.168.200.101 → 192.168.200.111: one apply, new before old, never without an address', async () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(v4(sb.ns('ct1'), 'venet0')).toEqual(['192.168.200.101/32']);
    sb.write('m.yaml', docs(net, ct1('192.168.200.111')));

    const changes = JSON.parse(sb.ctnet('plan', '-o', 'json', sb.manifestDir).stdout).changes;
    const add = indexOf(changes, 'create', 'address', '192.168.200.111');
    const del = indexOf(changes, 'delete', 'address', '192.168.200.101');
    expect(add).toBeGreaterThanOrEqual(0);
    expect(del).toBeGreaterThan(add);

    const mon = await monitor(sb.ns('ct1'));
    const r = sb.ctnet('apply', sb.manifestDir);
    const events = await mon.stop();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(events.some((e) => /^\d+: venet0\s+inet 192\.168\.200\.111\/32/.test(e))).toBe(true);
    expect(gaps(events, 'venet0', ['192.168.200.101/32'])).toEqual([]);
    expect(v4(sb.ns('ct1'), 'venet0')).toEqual(['192.168.200.111/32']);
    expect(ipj(sb.host, 'route', 'show', 'proto', '241').map((r) => r.dst)).toEqual(['192.168.200.111']);
    expect(ipj(sb.host, 'neigh', 'show', 'proxy').map((n) => n.dst)).toEqual(['192.168.200.111']);
    expect(ping(ext, '192.168.200.111')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });
});

describe('MTU defaults and kernel-made addresses', () => {
  const sb = new Sandbox();
  const nets = docs(
    doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}'),
    doc('Network', 'small', '{type: bridge, subnets: [10.31.0.0/24], gateway: 10.31.0.1, mtu: 1450}'),
  );
  const ct1 = (extra: string): string =>
    container('ct1', `{name: eth0, network: lan, addresses: [10.30.0.11/24]${extra}}`);
  const ct2 = container('ct2', '{name: eth0, network: small, addresses: [10.31.0.11/24]}');
  const mtus = (ct: string): [number, number] => [
    ipj(sb.host, 'link', 'show', `ve-${ct}-eth0`)[0].mtu,
    ipj(sb.ns(ct), 'link', 'show', 'eth0')[0].mtu,
  ];
  beforeAll(() => {
    sb.write('m.yaml', docs(nets, ct1(', mtu: 1400'), ct2));
  });
  afterAll(() => sb.cleanup());

  it("an interface's mtu sets both veth ends; without one, the network's mtu", () => {
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mtus('ct1')).toEqual([1400, 1400]);
    expect(mtus('ct2')).toEqual([1450, 1450]);
  });

  it('removing the mtu field brings both ends back to 1500', () => {
    sb.write('m.yaml', docs(nets, ct1(''), ct2));
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 2);
    const r = sb.ctnet('apply', '-q', sb.manifestDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mtus('ct1')).toEqual([1500, 1500]);
    expect(mtus('ct2')).toEqual([1450, 1450]);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  const drifts: [string, () => string, () => string, string, number][] = [
    ['host end', () => sb.host, () => 've-ct1-eth0', 'ct1', 1500],
    ['container end', () => sb.ns('ct1'), () => 'eth0', 'ct1', 1500],
    ["container end, network's mtu", () => sb.ns('ct2'), () => 'eth0', 'ct2', 1450],
  ];
  for (const [name, ns, dev, ct, want] of drifts) {
    it(`a hand-made mtu 1300 on the ${name} is drift, repaired by apply`, () => {
      sh('ip', '-n', ns(), 'link', 'set', 'dev', dev(), 'mtu', '1300');
      expect(ipj(ns(), 'link', 'show', dev())[0].mtu).toBe(1300);
      expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 2);
      expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
      expect(mtus(ct)).toEqual([want, want]);
      expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    });
  }

  it('a dynamic address and the kernel link-locals are not drift, and apply leaves them', async () => {
    sh(
      'ip',
      '-n',
      sb.ns('ct1'),
      'addr',
      'add',
      '2001:db8:9::5/64',
      'dev',
      'eth0',
      'valid_lft',
      '300',
      'preferred_lft',
      '300',
    );
    const dyn = (): any[] =>
      ipj(sb.ns('ct1'), 'addr', 'show', 'dev', 'eth0')[0].addr_info.filter((a: any) => a.local === '2001:db8:9::5');
    expect(dyn()).toHaveLength(1);
    expect(dyn()[0].dynamic).toBe(true);
    // the kernel's own link-locals on both ends (they appear once the link is up)
    const ll = (ns: string, dev: string): boolean =>
      ipj(ns, 'addr', 'show', 'dev', dev)[0].addr_info.some((a: any) => a.local.startsWith('fe80:'));
    const deadline = Date.now() + 5000;
    while (!(ll(sb.ns('ct1'), 'eth0') && ll(sb.host, 've-ct1-eth0')) && Date.now() < deadline) await sleep(100);
    expect(ll(sb.ns('ct1'), 'eth0')).toBe(true);
    expect(ll(sb.host, 've-ct1-eth0')).toBe(true);
    const p = sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir);
    expect(p.stdout).not.toContain('2001:db8:9::5');
    expect(p.code).toBe(0);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(dyn()).toHaveLength(1);
  });
});
