import { writeSync } from 'node:fs';
import { pino, type Logger } from 'pino';

export type { Logger };
export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  readonly format: LogFormat;
  readonly level: 'debug' | 'info' | 'warn';
  readonly color: boolean;
}

const COLORS: Record<string, string> = {
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[31m',
};

/**
 * Human lines for a terminal: `12:04:05.123 INFO  reconcile (file): applied ...`. The message
 * carries everything a person needs; the structured fields are for the JSON format.
 */
function textLine(line: string, color: boolean): string {
  const o = JSON.parse(line) as { time?: string; level?: string; msg?: string };
  const time = (o.time ?? new Date().toISOString()).slice(11, 23);
  const level = (o.level ?? 'info').toUpperCase().padEnd(5);
  const lv = color ? `${COLORS[o.level ?? ''] ?? ''}${level}\x1b[0m` : level;
  return `${time} ${lv} ${o.msg ?? ''}\n`;
}

/**
 * The watch daemon's logger (pino): JSON lines with `--log-format json`, one object per event with
 * its fields (`trigger`, `result`, `durationMs`, `file`, `line`, ...); text lines otherwise.
 * Writes are synchronous so that the last lines before an exit are never lost.
 */
export function makeLogger(o: LoggerOptions): Logger {
  const opts = {
    level: o.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (o.format === 'json') return pino(opts, pino.destination({ dest: 1, sync: true }));
  return pino(opts, { write: (line: string) => void writeSync(1, textLine(line, o.color)) });
}
