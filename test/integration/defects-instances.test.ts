import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * Two state dirs on one host namespace are two instances: neither plans, prunes or destroys the
 * other's objects, also when one has lost its state file.
 */
describe('two instances on one host', () => {
  const sb = new Sandbox();
  const stateB = join(sb.dir, 'state-b');
  const dirA = join(sb.manifestDir, 'a');
  const dirB = join(sb.manifestDir, 'b');
  const empty = join(sb.dir, 'empty');
  let ext = '';
  const a = (...args: string[]) => sb.ctnet(...args);
  // the later --state-dir wins
  const b = (...args: string[]) => sb.ctnet('--state-dir', stateB, ...args);
  const bObjects = () => ({
    ns: sb.namespaces().includes(sb.ns('ctb')),
    link: ipj(sb.host, 'link', 'show')
      .filter((l) => l.ifname === 've-ctb-venet0')
      .map((l) => String(l.ifalias ?? '').startsWith('ctnet:')),
    route: ipj(sb.host, 'route', 'show', 'proto', '241').filter((r) => r.dst === '192.168.202.11').length,
    proxy: ipj(sb.host, 'neigh', 'show', 'proxy').filter((n) => n.dst === '192.168.202.11').length,
  });
  const bIntact = { ns: true, link: [true], route: 1, proxy: 1 };

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.201.1/24', '192.168.201.254/24');
    sh('ip', '-n', sb.host, 'addr', 'add', '192.168.202.1/24', 'dev', 'enp0s5');
    sh('ip', '-n', ext, 'addr', 'add', '192.168.202.254/24', 'dev', 'lan0');
    // forwarding is the host's own setting here, so that no instance records or restores it:
    // what is tested is the separation of the instances' objects
    sh('ip', 'netns', 'exec', sb.host, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    sb.write(
      'a/m.yaml',
      docs(
        routedNet('public-a', '192.168.201.0/24', ', uplink: enp0s5'),
        container('cta', '{name: venet0, network: public-a, addresses: [192.168.201.11]}'),
      ),
    );
    sb.write(
      'b/m.yaml',
      docs(
        routedNet('public-b', '192.168.202.0/24', ', uplink: enp0s5'),
        container('ctb', '{name: venet0, network: public-b, addresses: [192.168.202.11]}'),
      ),
    );
    mkdirSync(empty);
  });
  afterAll(() => sb.cleanup());

  it('each instance applies its own container; the LAN reaches both', () => {
    const ra = a('apply', '-q', dirA);
    expect(ra.code, ra.stderr).toBe(0);
    const r = b('apply', '-q', dirB);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toEqual([sb.ns('cta'), sb.ns('ctb')]);
    expect(ping(ext, '192.168.201.11')).toBe(true);
    expect(ping(ext, '192.168.202.11')).toBe(true);
    expectExit(a('plan', '--detailed-exitcode', dirA), 0);
    expectExit(b('plan', '--detailed-exitcode', dirB), 0);
  });

  it("destroy of instance A removes only A's objects", () => {
    const r = a('destroy', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sb.namespaces()).toEqual([sb.ns('ctb')]);
    expect(ipj(sb.host, 'link', 'show').map((l) => l.ifname)).not.toContain('ve-cta-venet0');
    expect(bObjects()).toEqual(bIntact);
    expect(ping(ext, '192.168.202.11')).toBe(true);
    expect(ping(sb.ns('ctb'), '192.168.202.254')).toBe(true);
    expectExit(b('plan', '--detailed-exitcode', dirB), 0);
  });

  it("instance A with a lost state file claims nothing of B's", () => {
    expectExit(a('apply', '-q', dirA), 0);
    // B converged again (repairs whatever an earlier failure took), so there is something to claim
    expectExit(b('apply', '-q', dirB), 0);
    expect(sb.namespaces()).toEqual([sb.ns('cta'), sb.ns('ctb')]);
    expect(bObjects()).toEqual(bIntact);
    rmSync(join(sb.stateDir, 'state.json'));
    const p = a('plan', '-o', 'json', dirA);
    expect(p.stderr).not.toContain('ctb');
    expect(p.code).toBe(0);
    const changes = JSON.parse(p.stdout).changes;
    const text = JSON.stringify(changes);
    expect(text).not.toContain(sb.ns('ctb'));
    expect(text).not.toContain('ve-ctb-venet0');
    expect(text).not.toContain('192.168.202.11');
  });

  it("apply --allow-empty of instance A (state still lost) leaves B's objects", () => {
    expect(bObjects()).toEqual(bIntact);
    const r = a('apply', '-q', '--allow-empty', empty);
    // a lost state file is reported on stderr (SPEC §2); nothing else may be said
    expect(
      r.stderr.split('\n').filter((l) => l && !/state file .* is missing: ownership of \d+ objects rebuilt/.test(l)),
    ).toEqual([]);
    expect(r.code).toBe(0);
    expect(bObjects()).toEqual(bIntact);
    expect(ping(ext, '192.168.202.11')).toBe(true);
    expectExit(b('plan', '--detailed-exitcode', dirB), 0);
  });
});
