import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Contestant, StepName } from './contestant.js';
import { CHANGED_ADDR } from './layout.js';
import { writeAdded, writeContainers, writeManifests } from './manifests.js';
import { run } from './proc.js';
import { dropDir, tempDir } from './sandbox.js';
import { settle } from './settle.js';

/**
 * ctnet itself, one CLI process per step as a user runs it (Node start-up included): cold
 * apply, then (once the kernel has settled) no-op plan, no-op apply, one container added, one
 * address changed, destroy. Each
 * process carries the RSS probe, so each step also reports its peak RSS.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = pathToFileURL(join(import.meta.dirname, 'rss-probe.js')).href;

export interface CtnetCall {
  readonly driver: 'netlink' | 'iproute2';
  readonly host: string;
  readonly state: string;
}

/** Runs `ctnet ARGS`; seconds and peak RSS (MB). Any exit code not in `okCodes` is an error. */
export async function ctnet(
  call: CtnetCall,
  args: readonly string[],
  okCodes = [0],
): Promise<{ s: number; rssMb?: number }> {
  const rssFile = join(call.state, '..', `rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const argv = [
    '--import',
    PROBE,
    join(ROOT, 'bin/ctnet.js'),
    '--driver',
    call.driver,
    '--host-netns',
    call.host,
    '--state-dir',
    call.state,
    '-q',
    ...args,
  ];
  const r = await run(process.execPath, argv, { env: { ...process.env, CTNET_BENCH_RSS_FILE: rssFile } });
  if (!okCodes.includes(r.code))
    throw new Error(`ctnet --driver ${call.driver} ${args[0]} exited ${r.code}: ${(r.err || r.out).slice(0, 1500)}`);
  let rssMb: number | undefined;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    rssMb = undefined;
  }
  return { s: r.s, rssMb };
}

function contestant(driver: 'netlink' | 'iproute2', tag: string): Contestant {
  return {
    name: `ctnet-${driver}`,
    tag,
    async run(lay, report) {
      const dir = tempDir(`ctnet-${driver}`);
      const call: CtnetCall = { driver, host: lay.host, state: join(dir, 'state') };
      const m = join(dir, 'm');
      const step = async (name: StepName, args: string[], ok = [0]): Promise<void> =>
        report({ step: name, ...(await ctnet(call, args, ok)) });
      try {
        mkdirSync(m);
        writeManifests(m, lay);
        await step('apply', ['apply', m]);
        // the no-op steps measure a converged host, not the kernel still busy with the new links
        await settle();
        // exit 2 would mean the apply left something to do: a no-op plan must find nothing
        await step('plan', ['plan', '--detailed-exitcode', m]);
        await step('apply-noop', ['apply', m]);
        writeAdded(m, lay);
        await step('add-one', ['apply', m]);
        writeContainers(m, lay, CHANGED_ADDR);
        await step('change-one', ['apply', m]);
        await step('destroy', ['destroy']);
      } finally {
        dropDir(dir);
      }
    },
  };
}

export const ctnetNetlink = contestant('netlink', 'nl');
export const ctnetIproute2 = contestant('iproute2', 'ip');
