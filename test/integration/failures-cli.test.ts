import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, hostSnapshot, ipj, sh } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';
import { instanceOf } from '../../src/state/store.js';
import { registryDir } from '../../src/state/host-registry.js';

/** Failures of the CLI say what happened: bad `set` values, `--wait` parsing, and words that were wrong. */

const NET = routedNet('public', '192.168.250.0/24', ', uplink: enp0s5');
const CT1 = container('ct1', '{name: venet0, network: public, addresses: [192.168.250.11]}');
const LAN = doc('Network', 'lan', '{type: bridge, subnets: [10.41.0.0/24], gateway: 10.41.0.1}');
const CT2 = container('ct2', '{name: eth0, network: lan, addresses: [10.41.0.12/24]}');

describe('ctnet set with a bad address', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.250.1/24', '192.168.250.254/24');
    sb.write('m.yaml', docs(NET, CT1));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });
  afterAll(() => sb.cleanup());

  const addrs = (): string[] =>
    ipj(sb.ns('ct1'), 'addr', 'show', 'dev', 'venet0')[0]
      .addr_info.map((a: any) => a.local)
      .sort();

  it('--ipadd 172.31.0.300 and --ipdel bogus: exit 3 naming each option and value, all at once; no change', () => {
    const state = readFileSync(join(sb.stateDir, 'state.json'), 'utf8');
    const before = { host: hostSnapshot(sb.host), ct: addrs() };
    const r = sb.ctnet('set', 'ct1', '--ipadd', '172.31.0.300', '--ipdel', 'bogus');
    expect(r.stderr).toContain('error: --ipadd: "172.31.0.300" is not an IP address');
    expect(r.stderr).toContain('error: --ipdel: "bogus" is not an IP address');
    expect(r.stderr).not.toContain('internal error');
    expect(r.stdout).not.toContain('recorded');
    expect(r.code).toBe(3);
    const d = sb.ctnet('set', 'ct1', '--ipdel', 'bogus');
    expect(d.stderr).toContain('--ipdel: "bogus" is not an IP address');
    expect(d.stdout).not.toContain('recorded');
    expect(d.code).toBe(3);
    expect(readFileSync(join(sb.stateDir, 'state.json'), 'utf8')).toBe(state);
    expect({ host: hostSnapshot(sb.host), ct: addrs() }).toEqual(before);
  });

  it('--json: one JSON document with the errors, located at the option', () => {
    const r = sb.ctnet('--json', 'set', 'ct1', '--ipadd', '172.31.0.300');
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.result).toBe('rejected');
    const error = { code: 'invalid', path: '--ipadd', message: '"172.31.0.300" is not an IP address' };
    expect(j.errors).toEqual([expect.objectContaining(error)]);
  });
});

describe('--wait takes seconds only when the next word is a number', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.250.1/24', '192.168.250.254/24');
    sb.write('m.yaml', docs(NET, CT1));
  });
  afterAll(() => sb.cleanup());

  it('ctnet --wait apply DIR applies; --wait 10 and --wait=10 still take their seconds', () => {
    expectExit(sb.ctnet('--wait', 'apply', '-q', sb.manifestDir), 0);
    expect(sb.namespaces()).toEqual([sb.ns('ct1')]);
    expectExit(sb.ctnet('--wait', '10', 'plan', '--detailed-exitcode', sb.manifestDir), 0);
    expectExit(sb.ctnet('--wait=10', 'plan', '--detailed-exitcode', sb.manifestDir), 0);
    expectExit(sb.ctnet('apply', '--wait', '-q', sb.manifestDir), 0);
    const bad = sb.ctnet('--wait=soon', 'plan', sb.manifestDir);
    expect(bad.stderr).toContain('--wait takes a number of seconds, not "soon"');
    expect(bad.code).toBe(3);
  });
});

describe('words that were wrong', () => {
  const sb = new Sandbox();
  const other = join(sb.dir, 'other-state');
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.250.1/24', '192.168.250.254/24');
    sb.write('m.yaml', docs(NET, CT1, LAN, CT2));
  });
  afterAll(() => {
    sb.ctnetEnv({}, '--state-dir', other, 'destroy', '-q');
    sb.cleanup();
  });

  it('--help names netlink as the default driver', () => {
    const r = expectExit(sb.ctnet('--help'), 0);
    expect(r.stdout).toMatch(/netlink \(default\)/);
    expect(r.stdout).not.toMatch(/iproute2 \(default\)/);
  });

  it('plans name the nftables table as the kernel does: inet ctnet_<instance>', () => {
    const name = `ctnet_${instanceOf(sb.stateDir)}`;
    const p = expectExit(sb.ctnet('plan', sb.manifestDir), 0);
    expect(p.stdout).toContain(`nftables table inet ${name}`);
    expect(p.stdout).not.toMatch(/table inet ctnet\b(?!_)/);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const tables = JSON.parse(sh('ip', 'netns', 'exec', sb.host, 'nft', '-j', 'list', 'tables')).nftables;
    const names = tables.filter((t: any) => t.table).map((t: any) => `${t.table.family} ${t.table.name}`);
    expect(names).toContain(`inet ${name}`);
  });

  it('status names the original from the host registry when the state file was lost', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    rmSync(join(sb.stateDir, 'state.json'));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const r = expectExit(sb.ctnet('status'), 0);
    // the host-wide registry outlives the state file: the true original is still known
    expect(r.stdout.split('\n').find((l) => l.includes('net.ipv4.ip_forward'))).toContain('(was 0)');
  });

  it('status says the original is unknown (not "unchanged") when the state file and the registry were lost', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    rmSync(join(sb.stateDir, 'state.json'));
    rmSync(registryDir(sb.host)!, { recursive: true, force: true });
    // the rebuilt inventory knows ip_forward is ctnet's, not what it was before
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const r = expectExit(sb.ctnet('status'), 0);
    const line = r.stdout.split('\n').find((l) => l.includes('net.ipv4.ip_forward'));
    expect(line, r.stdout).toBeDefined();
    expect(line).not.toContain('unchanged');
    expect(line).toContain('no original recorded: destroy leaves it as it is');
  });

  it("another instance's link and namespace are named as such, with its marker", () => {
    const a = instanceOf(sb.stateDir);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const r = sb.ctnetEnv({}, '--state-dir', other, 'plan', sb.manifestDir);
    expect(r.code).toBe(3);
    const theirs = `is owned by another ctnet instance (${a}, marker`;
    expect(r.stderr).toContain(`link "br-lan" exists and ${theirs} "ctnet:network/lan@${a}")`);
    expect(r.stderr).toContain(`network namespace "${sb.ns('ct1')}" exists and ${theirs}`);
    expect(r.stderr).toContain(`proxy entry 192.168.250.11 on "enp0s5" exists and ${theirs}`);
    expect(r.stderr).not.toContain('not created by ctnet');
    expect(r.stderr).not.toContain('not owned by ctnet');
  });

  it('mtu: 1e400 is a number out of range, located', () => {
    const file = sb.write('bad/net.yaml', doc('Network', 'big', '{type: bridge, subnets: [10.42.0.0/24], mtu: 1e400}'));
    const r = sb.ctnet('validate', file);
    expect(r.stderr).toContain(`${file}:4:52: spec.mtu: a number out of range (Infinity) is not a valid MTU`);
    expect(r.stderr).not.toContain('null');
    expect(r.code).toBe(3);
  });
});
