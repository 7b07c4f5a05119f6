import { createServer } from 'node:net';
import type { Background, Sandbox } from './sandbox.js';

export type LogLine = {
  level: string;
  msg: string;
  event?: string;
  trigger?: string;
  triggers?: string[];
  result?: string;
  kernelEvents?: string;
  delayMs?: number;
  time?: string;
};

/** Polls an observed outcome (async: the daemon's output must keep flowing while we wait). */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** A `ctnet watch` child with JSON logs collected and its metrics endpoint scraped. */
export class WatchHarness {
  readonly lines: LogLine[] = [];
  private child: Background | undefined;
  port = 0;

  /** The running watch; only after start(). */
  get bg(): Background {
    if (!this.child) throw new Error('the watch was not started');
    return this.child;
  }

  /** `env`: extra variables for the watch (CTNET_FAIL_OP, say). */
  async start(sb: Sandbox, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
    this.port = await freePort();
    this.child = sb.ctnetBackground(
      ['watch', ...args, '--log-format', 'json', '--metrics-addr', `127.0.0.1:${this.port}`],
      env,
    );
    let rest = '';
    this.child.child.stdout!.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop()!;
      for (const p of parts) if (p.trim()) this.lines.push(JSON.parse(p) as LogLine);
    });
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Sum of the samples of a metric whose labels contain every `labels` pair. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(this.url('/metrics'))).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  }

  reconciles(trigger?: string): Promise<number> {
    return this.metric('ctnet_reconciles_total', trigger ? { trigger } : {});
  }

  async health(): Promise<number> {
    return (await fetch(this.url('/healthz'))).status;
  }

  /** Waits until no reconcile has been logged for `quietMs`: the loop is idle again. */
  async settled(quietMs = 600, ms = 8000): Promise<void> {
    let n = -1;
    let since = Date.now();
    await until(
      'the loop goes idle',
      () => {
        const now = this.lines.filter((l) => l.event === 'reconcile').length;
        if (now !== n) [n, since] = [now, Date.now()];
        return Date.now() - since >= quietMs;
      },
      ms,
    );
  }

  stop(): void {
    if (process.env.WATCH_LOG) console.log(this.lines.map((l) => JSON.stringify(l)).join('\n'));
    this.child?.kill('SIGKILL');
  }
}
