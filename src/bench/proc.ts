import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The bench's own process calls: argv arrays only (no shell string is ever built from values),
 * every child remembered so that Ctrl-C can stop it before the namespaces are removed.
 */
export const children = new Set<ChildProcess>();

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Wall seconds from spawn to exit. */
  readonly s: number;
}

export interface RunOpts {
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function run(cmd: string, args: readonly string[], opts: RunOpts = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    children.add(c);
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', (e) => {
      children.delete(c);
      reject(e);
    });
    c.on('close', (code) => {
      children.delete(c);
      resolve({ code: code ?? 1, out, err, s: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
    c.stdin.on('error', () => undefined);
    c.stdin.end(opts.input ?? '');
  });
}

/** Like `run`, but a non-zero exit is an error naming the command and its stderr. */
export async function must(cmd: string, args: readonly string[], opts: RunOpts = {}): Promise<Ran> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0)
    throw new Error(`${cmd} ${args.slice(0, 6).join(' ')} … exited ${r.code}: ${(r.err || r.out).slice(0, 800)}`);
  return r;
}

/** One `ip -batch` (with `-n NS` when given); seconds. */
export async function ipBatch(ns: string | null, lines: readonly string[]): Promise<number> {
  return (await must('ip', [...(ns ? ['-n', ns] : []), '-batch', '-'], { input: lines.join('\n') + '\n' })).s;
}

/** Seconds since `t0` (from `process.hrtime.bigint()`). */
export const since = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
