import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ping } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';
import { registryDir } from '../../src/state/host-registry.js';

/**
 * A run that changes nothing leaves the state file and the host registry as they are when they record what it
 * would write (all but the time): `watch` runs after every kernel event, and each of them rewrote both, fsync and
 * all. A file that records something else is written.
 */
describe('a run that changes nothing writes nothing', () => {
  const sb = new Sandbox();
  const state = join(sb.stateDir, 'state.json');
  const identity = (f: string): string => {
    const s = statSync(f, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.ctimeNs}`;
  };
  const lastApplied = (): string => expectExit(sb.ctnet('status'), 0).stdout.split('\n')[0];
  let registry = '';
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write(
      'routed.yaml',
      docs(
        routedNet('public', '192.168.200.0/24', ', uplink: enp0s5'),
        container('ct1', '{name: venet0, network: public, addresses: [192.168.200.11]}'),
      ),
    );
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    // ip_forward, which every routed network needs, is held in the host registry
    registry = join(registryDir(sb.host)!, 'sysctls.json');
  });
  afterAll(() => sb.cleanup());

  it('a no-op apply leaves the state file and the host registry untouched, and says when it last applied', () => {
    const before = { state: identity(state), registry: identity(registry), applied: lastApplied() };
    expect(readFileSync(registry, 'utf8')).toContain('net.ipv4.ip_forward');
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 0);
    expect(r.stdout).toContain('No changes');
    expect({ state: identity(state), registry: identity(registry), applied: lastApplied() }).toEqual(before);
    expect(ping(sb.ns('ct1'), '192.168.200.1')).toBe(true);
  });

  it('a change is recorded; so is a no-op run over a state file that does not record what it would', () => {
    sb.write('ct2.yaml', container('ct2', '{name: venet0, network: public, addresses: [192.168.200.12]}'));
    const before = identity(state);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(identity(state)).not.toBe(before);
    expect(JSON.parse(readFileSync(state, 'utf8')).objects).toHaveProperty([`netns ${sb.ns('ct2')}`]);
    expect(ping(sb.ns('ct2'), '192.168.200.1')).toBe(true);
    // a file that does not record what this run would (someone removed the manifests it last applied): written
    const j = JSON.parse(readFileSync(state, 'utf8'));
    writeFileSync(state, JSON.stringify({ ...j, lastApplied: undefined }));
    const edited = identity(state);
    expect(expectExit(sb.ctnet('apply', sb.manifestDir), 0).stdout).toContain('No changes');
    expect(identity(state)).not.toBe(edited);
    expect(JSON.parse(readFileSync(state, 'utf8')).lastApplied.digest).toBe(j.lastApplied.digest);
  });
});
