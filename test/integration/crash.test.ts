import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj } from './sandbox.js';

const N = 24;

function manifests(): string {
  const docs = [
    'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.60.0.0/16], gateway: 10.60.0.1}\n',
    'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: pub}\nspec: {type: routed, subnets: [10.61.0.0/16], uplink: up0}\n',
  ];
  for (let i = 0; i < N; i++) {
    const itf =
      i % 2
        ? `{name: eth0, network: lan, addresses: [10.60.1.${i + 2}/16]}`
        : `{name: venet0, network: pub, addresses: [10.61.1.${i + 2}]}`;
    docs.push(
      `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: c${i}}\nspec:\n  netns: "@c${i}"\n  interfaces: [${itf}]\n`,
    );
  }
  return docs.join('---\n');
}

/**
 * Killed at any point, the next run converges and the state file stays readable. Each kill is
 * provoked right after a chosen kernel command (the CTNET_CRASH_AFTER hook), and each test first
 * proves the kill landed there: ctnet died of SIGKILL with the kernel half-way.
 */
describe('crash safety at every stage of apply and destroy', () => {
  const sb = new Sandbox();
  const ours = (): string[] => sb.namespaces();
  beforeAll(() => {
    sb.external('lan', 'up0', '10.61.0.1/16', '10.61.0.254/16');
    sb.write('m.yaml', manifests());
  });
  afterAll(() => sb.cleanup());

  const killAt = (pattern: string, ...args: string[]): void => {
    const r = sb.ctnetEnv({ CTNET_CRASH_AFTER: pattern }, '-q', ...args);
    expect(r.signal).toBe('SIGKILL');
    // whatever was killed, the state file on disk is whole
    const state = join(sb.stateDir, 'state.json');
    if (existsSync(state)) expect(JSON.parse(readFileSync(state, 'utf8')).version).toBe(2);
  };
  const converges = (): void => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(ours()).toHaveLength(N);
  };

  it('killed among the namespace creations', () => {
    killAt(`netns add ${sb.ns('c5')}$`, 'apply', sb.manifestDir);
    const made = ours();
    expect(made).toContain(sb.ns('c5'));
    expect(made.length).toBeLessThan(N);
    converges();
  });

  it('killed between creating a veth and marking it: no --adopt needed', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    killAt('link add name ve-c7-eth0 ', 'apply', sb.manifestDir);
    const veth = ipj(sb.host, 'link', 'show').find((l) => l.ifname === 've-c7-eth0');
    expect(veth).toBeDefined();
    expect(veth.ifalias).toBeUndefined();
    converges();
    expect(ipj(sb.host, 'link', 'show', 've-c7-eth0')[0].ifalias).toMatch(/^ctnet:container\/c7@/);
  });

  it('killed inside the containers, between an address and its route', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    killAt(`-n ${sb.ns('c3')} address add 10.60.1.5/16`, 'apply', sb.manifestDir);
    expect(ipj(sb.ns('c3'), 'route', 'show', 'default')).toEqual([]);
    converges();
  });

  it('killed while writing host sysctls', () => {
    expectExit(sb.ctnet('destroy', '-q'), 0);
    killAt('tee /proc/sys/net/ipv4/ip_forward', 'apply', sb.manifestDir);
    converges();
  });

  it('killed among the namespace deletions of destroy, then destroy again', () => {
    killAt(`netns del ${sb.ns('c1')}$`, 'destroy');
    const left = ours();
    expect(left).not.toContain(sb.ns('c1'));
    expect(left.length).toBeGreaterThan(0);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(ours()).toEqual([]);
    expect(
      ipj(sb.host, 'link', 'show')
        .map((l) => l.ifname)
        .filter((n) => /^(br|ve)-/.test(n)),
    ).toEqual([]);
  });
});
