import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REVERTER_VERB } from '../state/pending.js';
import type { GlobalOpts } from './output.js';

const BIN = fileURLToPath(new URL('../../bin/ctnet.js', import.meta.url));

/** How a confirmation's reverter runs, as `apply --confirm` and the README say it. */
export type ReverterStart =
  | { readonly how: 'systemd'; readonly unit: string }
  | { readonly how: 'process'; readonly pid: number }
  | { readonly how: 'failed'; readonly why: string };

/** Where systemd is the init (sd_booted(3)): a transient unit outlives any login session. */
const systemdRuns = (): boolean => existsSync('/run/systemd/system');

/** The reverter's command line: the same ctnet, instance, host and driver as the apply. */
function argvOf(g: GlobalOpts, id: string): string[] {
  const host = g.hostNetns === null ? [] : ['--host-netns', g.hostNetns];
  return [BIN, '--state-dir', g.stateDir, ...host, '--driver', g.driverName, REVERTER_VERB, id];
}

/**
 * Starts the process that reverts confirmation `id` at its deadline, so that it survives the
 * caller's SSH session: a transient systemd unit where systemd runs (logind's KillUserProcesses
 * cannot reach it), else a process in a session of its own (setsid), its output nowhere, not
 * waited for. Never through a shell.
 */
export function startReverter(g: GlobalOpts, id: string): ReverterStart {
  const argv = argvOf(g, id);
  if (systemdRuns()) {
    const unit = `ctnet-revert-${id}`;
    const r = spawnSync('systemd-run', ['--unit', unit, '--collect', '--quiet', process.execPath, ...argv], {
      encoding: 'utf8',
    });
    if (r.status === 0) return { how: 'systemd', unit };
    // systemd refused (no D-Bus, say): the detached process still does the job
  }
  try {
    const child = spawn(process.execPath, argv, { detached: true, stdio: 'ignore' });
    child.unref();
    return child.pid ? { how: 'process', pid: child.pid } : { how: 'failed', why: 'no process was started' };
  } catch (e) {
    return { how: 'failed', why: (e as Error).message };
  }
}

export const reverterText = (r: ReverterStart): string =>
  r.how === 'systemd'
    ? `transient systemd unit ${r.unit}`
    : r.how === 'process'
      ? `detached process ${r.pid}`
      : `not started: ${r.why}`;
