import { join } from 'node:path';
import type { Reporter } from './contestant.js';
import type { Layout } from './layout.js';
import { ipBatch, must, since } from './proc.js';

/**
 * How the runtime-style peers (CNI, netavark) are timed, alike: setup = the namespaces (one `ip
 * -batch`) + `setup.sh` run under `ip netns exec HOST` (a runtime runs in the host: no extra
 * process per container); teardown = `teardown.sh` there + the namespaces + `hostAfter` lines
 * (what the plugin leaves behind, e.g. CNI's bridge). The scripts are in `dir`.
 */
export async function runPeerScripts(
  lay: Layout,
  dir: string,
  report: Reporter,
  hostAfter: readonly string[] = [],
): Promise<void> {
  let t0 = process.hrtime.bigint();
  await ipBatch(
    null,
    lay.cts.map((c) => `netns add ${c.ns}`),
  );
  await must('ip', ['netns', 'exec', lay.host, 'sh', join(dir, 'setup.sh')]);
  report({ step: 'apply', s: since(t0) });
  t0 = process.hrtime.bigint();
  await must('ip', ['netns', 'exec', lay.host, 'sh', join(dir, 'teardown.sh')]);
  await ipBatch(
    null,
    lay.cts.map((c) => `netns del ${c.ns}`),
  );
  if (hostAfter.length) await ipBatch(lay.host, hostAfter);
  report({ step: 'destroy', s: since(t0) });
}
