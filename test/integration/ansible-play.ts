import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sandbox } from './sandbox.js';

const PLAYBOOK = resolve(import.meta.dirname, '../../integrations/ansible/ctnet.yml');
const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');

/** Why ansible-playbook cannot run here (CI installs ansible-core; a failed install only skips), or undefined. */
export function ansibleMissing(): string | undefined {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  if (r.error) return `ansible-playbook not found (${r.error.message}): apt-get install ansible-core`;
  return r.status === 0 ? undefined : `ansible-playbook --version exited ${r.status}: ${r.stderr}`;
}

/** The ctnet_apply task's result on localhost, as the json callback reports it. */
export interface TaskResult {
  readonly changed: boolean;
  readonly failed?: boolean;
  readonly msg?: string;
  readonly rc?: number;
  readonly result?: string;
  readonly actions?: string[];
  readonly errors?: { file: string | null; line: number | null; message: string }[];
  readonly diff?: { prepared?: string };
}

export interface PlayResult {
  readonly exit: number;
  readonly task: TaskResult;
  /** The play recap of localhost: `changed` counts the tasks that changed something. */
  readonly stats: { changed: number; failures: number; ok: number };
}

export interface PlayOptions {
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly state?: 'present' | 'absent';
  readonly manifests?: string;
}

/**
 * Runs integrations/ansible/ctnet.yml on the local connection against the sandbox: its host
 * namespace and state dir as the playbook's variables, ctnet as `node bin/ctnet.js` (an argument
 * list, no shell), ansible's own files inside the sandbox's directory.
 */
export function play(sb: Sandbox, opts: PlayOptions = {}): PlayResult {
  const home = join(sb.dir, 'ansible');
  mkdirSync(home, { recursive: true });
  const vars = join(home, 'vars.json');
  writeFileSync(
    vars,
    JSON.stringify({
      ctnet_manifests: opts.manifests ?? sb.manifestDir,
      ctnet_state: opts.state ?? 'present',
      ctnet_state_dir: sb.stateDir,
      ctnet_host_netns: sb.host,
      ctnet_command: ['node', BIN],
    }),
  );
  const args = ['-i', 'localhost,', '-c', 'local', PLAYBOOK, '-e', `@${vars}`];
  if (opts.check) args.push('--check');
  if (opts.diff) args.push('--diff');
  const r = spawnSync('ansible-playbook', args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_HOME: home,
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_REMOTE_TEMP: join(home, 'tmp'),
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      ANSIBLE_NOCOLOR: '1',
    },
  });
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new Error(`ansible-playbook exited ${r.status} without JSON:\n${r.stdout}\n${r.stderr}`);
  }
  return { exit: r.status ?? 1, task: doc.plays[0].tasks[0].hosts.localhost, stats: doc.stats.localhost };
}
