import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import { Sandbox, expectExit, type RunResult } from './sandbox.js';
import { EXAMPLES, manifestFiles } from './example-world.js';
import { container, doc, docs } from '../fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** What a user's package may hold: the program, its schema, the examples, the deploy units, the prose. */
const SHIPPED = /^(package\.json|README\.md|LICEN[CS]E(\.\w+)?|bin\/ctnet\.js|(dist|schemas|manifests|deploy)\/.+)$/;
/** npm's codes when the registry cannot be reached (or, offline, a document is not in the cache). */
const NETWORK = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

/** npm as a user runs it: without the npm_* variables `npm test` gives its scripts (the cache stays npm's default). */
function npm(cwd: string, ...args: string[]): RunResult {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** The relative imports (static and dynamic) of a shipped module, as paths in the package. */
const importsOf = (file: string, text: string): string[] =>
  [...text.matchAll(/(?:from |import\()'(\.\.?\/[^']+)'/g)].map((m) => posix.join(posix.dirname(file), m[1]));

/**
 * `npm pack` of the built tree (`npm test` builds first), installed globally into a temporary
 * prefix from npm's cache, then run from a directory that is not the repository. Installed with
 * --ignore-scripts: koffi's install script only checks its prebuilt binary, which ctnet loads
 * without it (docs/installing.md), and npm is to block unreviewed install scripts by default.
 */
describe('the npm package', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ctnet-pkg-'));
  const prefix = join(tmp, 'prefix');
  const installed = join(prefix, 'lib', 'node_modules', 'ctnet');
  let files: string[] = [];
  let skipped: string | undefined;
  /** The installed `ctnet`, run from the temporary directory: nothing of the repository is in reach. */
  const ctnet = (...args: string[]): RunResult => {
    const r = spawnSync(join(prefix, 'bin', 'ctnet'), ['--no-color', ...args], { cwd: tmp, encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('no dist/: run npm run build first');
    // the build is there: pack's prepare script would only build again
    const pack = expectExit(npm(ROOT, 'pack', '--json', '--ignore-scripts', '--pack-destination', tmp), 0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    files = packed.files.map((f) => f.path).sort();
    // tarballs come from what npm ci cached; npm 11 also reads each dependency's full registry
    // document for a global install, which npm ci does not keep: only those are fetched, once
    const install = npm(
      tmp,
      ...['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      ...['--fetch-retries=0', '--fetch-timeout=20000', join(tmp, packed.filename)],
    );
    if (install.code !== 0 && NETWORK.test(install.stderr)) {
      const why = install.stderr.split('\n').filter((l) => /^npm error (code|request|network)/.test(l));
      skipped = `the registry cannot be reached and npm's cache lacks what the install reads: ${why.join('; ')}`;
      console.warn(`package.test.ts: skipped: ${skipped}`);
    } else expectExit(install, 0);
  }, 180_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('holds what a user needs and nothing else', () => {
    expect(files.filter((f) => !SHIPPED.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('dist/bench/'))).toEqual([]);
    for (const f of [
      'bin/ctnet.js',
      'dist/cli/main.js',
      'dist/bundle/ctnet.mjs',
      'schemas/ctnet.schema.json',
      'deploy/ctnet-watch.service',
    ])
      expect(files).toContain(f);
    for (const m of manifestFiles(EXAMPLES)) expect(files).toContain(`manifests/${relative(EXAMPLES, m)}`);
    // what the package leaves out is imported by nothing it ships
    const missing = files
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')).filter((i) => !files.includes(i)));
    expect(missing).toEqual([]);
  });

  it('ctnet --version and --help, run where the repository is out of reach', ({ skip }) => {
    skip(skipped !== undefined, skipped);
    expect(expectExit(ctnet('--version'), 0).stdout.trim()).toBe(VERSION);
    const help = expectExit(ctnet('--help'), 0).stdout;
    expect(help).toMatch(/^Usage: ctnet /);
    expect(help).toContain('Example:');
  });

  it("ctnet validate of the installed package's example manifests", ({ skip }) => {
    skip(skipped !== undefined, skipped);
    expect(expectExit(ctnet('validate', join(installed, 'manifests')), 0).stderr).toBe('');
  });

  it('ctnet graph -o svg: Graphviz comes with the package, as WebAssembly', ({ skip }) => {
    skip(skipped !== undefined, skipped);
    const svg = expectExit(ctnet('graph', '-o', 'svg', join(installed, 'manifests')), 0).stdout;
    expect(svg).toMatch(/<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('container ct101');
  });

  it("plans with the netlink driver, koffi's install script never run", ({ skip }) => {
    skip(skipped !== undefined, skipped);
    const sb = new Sandbox();
    try {
      const net = doc('Network', 'lan', '{type: bridge, subnets: [10.50.0.0/24], gateway: 10.50.0.1}');
      const file = sb.write('m.yaml', docs(net, container('ct1', '{name: eth0, network: lan}')));
      const r = expectExit(ctnet('--host-netns', sb.host, '--state-dir', sb.stateDir, 'plan', file), 0);
      // the default driver falls back to iproute2, saying so, when koffi's binding cannot load
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/cannot load/);
      expect(r.stdout).toContain(`netns ${sb.ns('ct1')} will be created`);
    } finally {
      sb.cleanup();
    }
  });
});
