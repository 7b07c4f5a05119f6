import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * A host managed by ctnet before instance marks: a version 1 state file (namespaces and sysctl
 * originals only) and links marked `ctnet:<owner>`. The first run migrates the state, claims
 * those marks, re-marks them with this instance, and changes nothing else.
 */
describe('state version 1 and unmarked-instance links', () => {
  const sb = new Sandbox();
  let ext = '';
  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write(
      'm.yaml',
      docs(
        routedNet('public', '192.168.200.0/24', ', uplink: enp0s5'),
        container('ct1', '{name: venet0, network: public, addresses: [192.168.200.11]}'),
      ),
    );
  });
  afterAll(() => sb.cleanup());

  it('migrates, re-marks and converges without --adopt', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    // turn the host back into what the previous version left
    for (const [ns, dev] of [
      [sb.host, 've-ct1-venet0'],
      [sb.ns('ct1'), 'venet0'],
    ])
      sh('ip', '-n', ns, 'link', 'set', 'dev', dev, 'alias', 'ctnet:container/ct1');
    sh('ip', '-n', sb.ns('ct1'), 'link', 'set', 'dev', 'lo', 'alias', '');
    const v2 = JSON.parse(readFileSync(join(sb.stateDir, 'state.json'), 'utf8'));
    const original = v2.objects['sysctl host net.ipv4.ip_forward'].original;
    writeFileSync(
      join(sb.stateDir, 'state.json'),
      JSON.stringify({
        version: 1,
        namespaces: { [sb.ns('ct1')]: 'container/ct1' },
        sysctls: { 'net.ipv4.ip_forward': original },
      }),
    );
    expect(ipj(sb.host, 'link', 'show', 've-ct1-venet0')[0].ifalias).toBe('ctnet:container/ct1');

    const p = JSON.parse(expectExit(sb.ctnet('plan', '-o', 'json', sb.manifestDir), 0).stdout);
    // only the marks change: every object is recognised as this instance's
    expect(p.changes.map((c: { action: string; object: string }) => `${c.action} ${c.object}`).sort()).toEqual([
      'update link lo',
      'update link ve-ct1-venet0',
      'update link venet0',
    ]);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(ipj(sb.host, 'link', 'show', 've-ct1-venet0')[0].ifalias).toMatch(/^ctnet:container\/ct1@[0-9a-f]{8}$/);
    expect(JSON.parse(readFileSync(join(sb.stateDir, 'state.json'), 'utf8')).version).toBe(2);
    expect(ping(ext, '192.168.200.11')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    // the original sysctl value came through the migration: destroy restores it
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(sh('ip', 'netns', 'exec', sb.host, 'cat', '/proc/sys/net/ipv4/ip_forward').trim()).toBe(original);
  });
});
