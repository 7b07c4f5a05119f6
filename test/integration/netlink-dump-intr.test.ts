import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { Sandbox, expectExit, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * Interrupted netlink dumps (NLM_F_DUMP_INTR) are retried with a backoff until a consistent one
 * comes. The namespace playing the host holds 3000 addresses, so its address dump spans several
 * datagrams; another process adds and deletes an address there without pause, which makes the
 * kernel mark dumps interrupted. CTNET_TRACE_DUMPS=1 shows each interruption: the test proves
 * they happened, and that every answer is still whole (all 3000 addresses, no change planned).
 */
const ADDRESSES = 3000;

describe('interrupted netlink dumps', () => {
  const sb = new Sandbox();
  let churn: ChildProcess | undefined;

  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.230.1/24', '192.168.230.254/24');
    sh('ip', '-n', sb.host, 'link', 'add', 'many0', 'up', 'type', 'veth', 'peer', 'name', 'churn0');
    sh('ip', '-n', sb.host, 'link', 'set', 'churn0', 'up');
    const lines = Array.from({ length: ADDRESSES }, (_, i) => `addr add 10.99.${i >> 8}.${i & 255}/32 dev many0`);
    sh('sh', '-c', `ip -n ${sb.host} -batch - <<'EOF'\n${lines.join('\n')}\nEOF`);
    const ct1 = container('ct1', '{name: venet0, network: public, addresses: [192.168.230.11]}');
    sb.write('m.yaml', docs(routedNet('public', '192.168.230.0/24', ', uplink: enp0s5'), ct1));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    // its own process group, killed whole afterwards, on failure too
    // paced (a change every few ms): churn without pause on an idle machine interrupts every dump, and
    // no retry could ever finish; paced, some dumps are interrupted and the retries get through
    const change = (verb: string): string => `echo 'addr ${verb} 10.98.0.1/32 dev churn0'`;
    const loop = `while :; do ${change('add')}; ${change('del')}; sleep 0.005; done`;
    churn = spawn('sh', ['-c', `${loop} | ip -n ${sb.host} -batch -`], { detached: true, stdio: 'ignore' });
  });
  afterAll(() => {
    try {
      if (churn?.pid) process.kill(-churn.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    sb.cleanup();
  });

  const hostAddresses = (snapshot: string): number =>
    (JSON.parse(snapshot).observed.host.addresses as { dev: string; cidr: string }[]).filter(
      (a) => a.dev === 'many0' && a.cidr.startsWith('10.99.'),
    ).length;

  it('retries them (the trace shows interruptions) and every observation is whole', () => {
    let interruptions = 0;
    // each observation under churn is retried until consistent; a few runs make interruptions certain
    for (let run = 0; run < 20 && interruptions < 3; run++) {
      const s = expectExit(sb.ctnetEnv({ CTNET_TRACE_DUMPS: '1' }, 'snapshot'), 0);
      expect(s.stderr).not.toMatch(/error/);
      expect(hostAddresses(s.stdout)).toBe(ADDRESSES);
      const lines = s.stderr.split('\n');
      const interrupted = /^trace: netlink address dump in the host interrupted \(attempt \d+\)/;
      interruptions += lines.filter((l) => interrupted.test(l)).length;
      // an interruption is always followed by the consistent dump that replaced it
      const consistent = /address dump in the host: consistent on attempt \d+/;
      if (lines.some((l) => l.includes('interrupted'))) expect(s.stderr).toMatch(consistent);
    }
    expect(interruptions).toBeGreaterThanOrEqual(3);
    // the plan under churn: nothing to change (the churned link is not ctnet's)
    const p = sb.ctnetEnv({ CTNET_TRACE_DUMPS: '1' }, 'plan', '--detailed-exitcode', sb.manifestDir);
    expect(p.stdout, p.stderr).toContain('No changes');
    expect(p.code).toBe(0);
  });
});
