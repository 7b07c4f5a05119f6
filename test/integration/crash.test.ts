import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Sandbox, sh } from './sandbox.js';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
const N = 60;

function manifests(): string {
  const docs = ['apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.60.0.0/16], gateway: 10.60.0.1}\n'];
  for (let i = 0; i < N; i++) {
    docs.push(`apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: c${i}}\nspec:\n  netns: "@c${i}"\n  interfaces: [{name: eth0, network: lan, addresses: [10.60.1.${i + 2}/16]}]\n`);
  }
  return docs.join('---\n');
}

/** Killed at any point, the next run converges; the state file stays readable. */
describe('crash safety', () => {
  const sb = new Sandbox();
  beforeAll(() => {
    sb.write('m.yaml', manifests());
  });
  afterAll(() => sb.cleanup());

  for (const [verb, delay] of [['apply', 150], ['apply', 400], ['destroy', 200]] as const) {
    it(`${verb} killed after ${delay} ms, then run again`, async () => {
      if (verb === 'apply' && delay > 150) sb.ctnet('destroy', '-q');
      const args = ['--host-netns', sb.host, '--state-dir', sb.stateDir, '-q', verb, ...(verb === 'apply' ? [sb.manifestDir] : [])];
      const child = spawn('node', [BIN, ...args], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      expect(sb.ctnet(verb, '-q', ...(verb === 'apply' ? [sb.manifestDir] : [])).code).toBe(0);
      if (verb === 'apply') expect(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir).code).toBe(0);
    });
  }

  it('leaves nothing behind after the final destroy', () => {
    const left = sh('ip', 'netns', 'list').split('\n').filter((l) => l.startsWith(sb.prefix) && !l.startsWith(sb.host));
    expect(left).toEqual([]);
  });
});
