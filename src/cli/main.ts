import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DEFAULT_STATE_DIR } from '../state/store.js';
import { CtnetFailure } from '../model/errors.js';
import { DEFAULT_DRIVER, DRIVER_NAMES, isDriverName, type DriverName } from '../driver/driver-name.js';
import { printErrors, type GlobalOpts } from './output.js';
import { collectList } from './list-option.js';
import type { ReconcileCliOpts } from './cmd-reconcile.js';
import type { SetCliOpts } from './cmd-set.js';
import type { WatchCliOpts } from './cmd-watch.js';
import type { GraphCliOpts } from './cmd-graph.js';
import { addHelpExamples } from './help-examples.js';
import { REVERTER_VERB } from '../state/pending.js';

// each command loads its own modules: `plan` never pays for watch's logger, metrics and file
// watcher, and `--version` for none of them
const reconcileCmd = () => import('./cmd-reconcile.js');
const inspectCmd = () => import('./cmd-inspect.js');

type Raw = {
  stateDir?: string;
  hostNetns?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  wait?: string | boolean;
  driver?: string;
  node?: string;
};

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const WAIT_DEFAULT_S = 3600;

function waitOf(w: string | boolean | undefined): number {
  if (w === undefined || w === false) return 0;
  if (w === true) return WAIT_DEFAULT_S;
  const n = Number(w);
  if (!Number.isFinite(n) || n < 0)
    throw new CommanderError(3, 'ctnet.wait', `--wait takes a number of seconds, not "${w}"`);
  return n;
}

/** The drivers as --help lists them, the default marked from the one constant that decides it. */
const driverWords = (): string => DRIVER_NAMES.map((d) => (d === DEFAULT_DRIVER ? `${d} (default)` : d)).join(' or ');

/**
 * `--wait` takes seconds only when the next word is a number: commander's optional value would
 * take any word, so `ctnet --wait apply DIR` lost its command. The value is glued on here
 * (`--wait=10`); a bare `--wait` becomes `--wait=` + the default, and `--` ends the options.
 */
export function waitArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return [...out, ...argv.slice(i)];
    if (a !== '--wait') out.push(a);
    else if (/^\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) out.push(`--wait=${argv[++i]}`);
    else out.push(`--wait=${WAIT_DEFAULT_S}`);
  }
  return out;
}

function driverOf(raw: Raw): DriverName {
  const d = raw.driver ?? (process.env.CTNET_DRIVER || DEFAULT_DRIVER);
  if (!isDriverName(d))
    throw new CommanderError(
      3,
      'ctnet.driver',
      `--driver (or CTNET_DRIVER) takes ${DRIVER_NAMES.join(' or ')}, not "${d}"`,
    );
  return d;
}

function globals(raw: Raw): GlobalOpts {
  return {
    stateDir: raw.stateDir ?? process.env.CTNET_STATE_DIR ?? DEFAULT_STATE_DIR,
    hostNetns: raw.hostNetns ?? process.env.CTNET_HOST_NETNS ?? null,
    json: !!raw.json,
    color: raw.color !== false && !!process.stdout.isTTY && !process.env.NO_COLOR,
    quiet: !!raw.quiet,
    verbose: !!raw.verbose,
    waitSeconds: waitOf(raw.wait),
    driverName: driverOf(raw),
    node: raw.node ?? (process.env.CTNET_NODE || hostname()),
  };
}

/** The CLI entry point: the one place that turns error values into messages and exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  // commander calls an action with the arguments, the command's options, then the command; the
  // types of the first two are what each action's declaration says (commander passes them untyped)
  const wrap =
    <A extends unknown[]>(fn: (opts: GlobalOpts, ...a: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      code = await fn(globals(cmd.optsWithGlobals<Raw>()), ...(args.slice(0, -1) as A));
    };
  const program = new Command('ctnet')
    .description('Declarative host networking for containers and VMs')
    .version(VERSION, '--version')
    .option('--state-dir <dir>', 'state directory (env CTNET_STATE_DIR)')
    .option('--host-netns <name>', 'treat this named namespace as the host (env CTNET_HOST_NETNS)')
    .option('--json', 'machine-readable output: exactly one JSON document')
    .option('--no-color', 'no colours')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'say more')
    .option('--wait [seconds]', 'wait for the lock instead of exiting 4 (default: an hour)')
    .option(
      '--node <name>',
      'this host in a fleet: the Node whose slice of the manifests it builds (env CTNET_NODE; default the hostname)',
    )
    .option('--driver <name>', `how the kernel is read and changed: ${driverWords()} (env CTNET_DRIVER)`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command('validate')
    .description('YAML, schema and cross-object checks; changes nothing')
    .argument('<paths...>')
    .action(wrap(async (o, paths: string[]) => (await inspectCmd()).cmdValidate(o, paths)));
  program
    .command('plan')
    .description('the ordered actions apply would run')
    .argument('<paths...>')
    .option('--detailed-exitcode', 'exit 2 when there are changes')
    .option('--snapshot <file>', 'plan offline against a saved snapshot')
    .option('--snapshots <dir>', 'plan every node that has a NODE.json snapshot in DIR, offline (a fleet)')
    .option('--out <file>', 'also save the plan: `ctnet apply FILE` runs exactly it')
    .option('-o, --output <format>', 'text, json, script or markdown (for pull requests)')
    .option('--adopt', 'take over foreign objects in the way')
    .option('--allow-empty', 'an empty manifest set may plan to delete everything')
    .action(
      wrap(async (o, paths: string[], opts: ReconcileCliOpts) =>
        opts.snapshots
          ? (await import('./plan-fleet.js')).planFleet(o, paths, opts)
          : (await reconcileCmd()).cmdReconcile(o, 'plan', paths, opts),
      ),
    );
  program
    .command('apply')
    .description('converge the kernel to the manifests (or run a plan saved by plan --out), then verify')
    .argument('<paths...>', 'manifest files and directories, or one saved plan')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--adopt', 'take over foreign objects in the way')
    .option('--allow-empty', 'an empty manifest set may delete everything ctnet owns')
    .option('--atomic', 'on any failure, put the host back as it was before this apply (exit 1)')
    .option('--confirm <seconds>', 'atomic, then revert by itself unless `ctnet confirm` comes within SECONDS')
    .action(
      wrap(async (o, paths: string[], opts: ReconcileCliOpts) =>
        (await reconcileCmd()).cmdReconcile(o, 'apply', paths, opts),
      ),
    );
  program
    .command('destroy')
    .description('remove what ctnet owns (or what these manifests describe)')
    .argument('[paths...]')
    .option('--dry-run', 'show what would be removed, change nothing')
    .action(
      wrap(async (o, paths: string[] | undefined, opts: ReconcileCliOpts) =>
        (await reconcileCmd()).cmdReconcile(o, 'destroy', paths ?? [], opts),
      ),
    );
  program
    .command('status')
    .description('owned objects, their health, drift from the last apply')
    .action(wrap(async (o) => (await inspectCmd()).cmdStatus(o)));
  program
    .command('snapshot')
    .description('observed state and inventory as JSON, for plan --snapshot')
    .argument('[paths...]')
    .action(wrap(async (o, paths: string[] | undefined) => (await inspectCmd()).cmdSnapshot(o, paths ?? [])));
  program
    .command('graph')
    .description('the topology as a picture: the manifests, the kernel (--observed), or a plan (--plan)')
    .argument('[paths...]')
    .option('--observed', 'draw the kernel as it is, not the manifests')
    .option('--plan', 'draw the manifests against the kernel: drift and planned changes coloured')
    .option('--snapshot <file>', 'with --observed or --plan: a saved snapshot stands for the kernel')
    .option('-o, --output <format>', 'dot (default), mermaid (for markdown) or svg')
    .action(
      wrap(async (o, paths: string[] | undefined, opts: GraphCliOpts) =>
        (await import('./cmd-graph.js')).cmdGraph(o, paths ?? [], opts),
      ),
    );
  program
    .command('set')
    .description(
      "vzctl's address edits: --save edits the container's manifest and applies; without it, a runtime override",
    )
    .argument('<container>')
    .argument('[paths...]')
    .option('--ipadd <ip,...>', 'add these addresses (to the first routed interface, or --iface)', collectList)
    .option('--ipdel <ip,...|all>', 'remove these addresses, or all of them', collectList)
    .option('--iface <name>', 'the interface inside the container to edit')
    .option('--save', "edit the container's manifest file (comments kept) and apply")
    .option('--reset', 'drop the runtime override')
    .option('--atomic', 'on any failure, put the host (and a --save edit) back as it was (exit 1)')
    .option('--confirm <seconds>', 'atomic, then revert by itself unless `ctnet confirm` comes within SECONDS')
    .action(
      wrap(async (o, ct: string, paths: string[] | undefined, opts: SetCliOpts) =>
        (await import('./cmd-set.js')).cmdSet(o, ct, paths ?? [], opts),
      ),
    );
  program
    .command('show')
    .description('show a plan saved by plan --out, in any output format')
    .argument('<file>')
    .option('-o, --output <format>', 'text, json, script or markdown')
    .action(
      wrap(async (o, file: string, opts: { output?: string }) =>
        (await import('./cmd-show.js')).cmdShow(o, file, opts),
      ),
    );
  program
    .command('confirm')
    .description('keep the change applied with --confirm (or --revert: put the host back now)')
    .option('--revert', 'undo the waiting change now')
    .action(wrap(async (o, opts: { revert?: boolean }) => (await import('./cmd-confirm.js')).cmdConfirm(o, opts)));
  program
    .command(REVERTER_VERB, { hidden: true })
    .argument('<id>')
    .action(wrap(async (o, id: string) => (await import('./cmd-confirm.js')).cmdReverter(o, id)));
  const importCmd = () => import('./cmd-import.js');
  const imports = program
    .command('import')
    .description('print manifests describing what exists: vzctl container configs, or the running kernel');
  imports
    .command('openvz')
    .description('vzctl configs (/etc/vz/conf/<CTID>.conf) as manifests: venet, veths, passed-through devices')
    .argument('<path>', 'a config file, or a directory of them')
    .action(wrap(async (o, path: string) => (await importCmd()).cmdImportOpenvz(o, path)));
  imports
    .command('kernel')
    .description('the host as it is (bridges, namespaces with veths to the host) as manifests; changes nothing')
    .option(
      '--netns <name>',
      'a namespace to describe (repeatable; default: every one a host veth leads to)',
      collectList,
    )
    .action(wrap(async (o, opts: { netns?: string[] }) => (await importCmd()).cmdImportKernel(o, opts)));
  const schemaCmd = () => import('./cmd-schema.js');
  program
    .command('schema')
    .description("print the manifests' JSON Schema, for editors (yaml-language-server) and other tools")
    .action(wrap(async () => (await schemaCmd()).cmdSchema()));
  program
    .command('explain')
    .description("a kind's or a field's description from the schema, with its sub-fields, as kubectl explain")
    .argument('<path>', 'KIND or KIND.field.field..., e.g. Container.spec.interfaces')
    .action(wrap(async (o, path: string) => (await schemaCmd()).cmdExplain(o, path)));
  program
    .command('watch')
    .description('reconcile at start, on every manifest or kernel change, on SIGHUP and periodically; repair drift')
    .argument('<dir>')
    .option('--resync <seconds>', 'reconcile at least this often, repairing drift (default 30)')
    .option('--debounce <ms>', 'quiet time after file and kernel events before reconciling (default 250)')
    .option('--allow-empty', 'an empty manifest directory may delete everything ctnet owns')
    .option('--log-format <format>', 'text (default) or json (one JSON object per line)')
    .option('--metrics-addr <host:port>', 'serve Prometheus /metrics and /healthz here')
    .action(
      wrap(async (o, dir: string, opts: WatchCliOpts) => (await import('./cmd-watch.js')).cmdWatch(o, dir, opts)),
    );
  addHelpExamples(program);
  try {
    await program.parseAsync(waitArgv(argv), { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander prints its own complaints; ours (a bad --wait or --driver) are printed here
      if (e.code.startsWith('ctnet.')) process.stderr.write(`error: ${e.message}\n`);
      return e.exitCode === 0 ? 0 : 3;
    }
    // errors as values that crossed an await (the state dir refused): printed as they are
    if (e instanceof CtnetFailure) return printErrors(e.errors);
    // never a stack trace for the user; the message names what failed
    return printErrors([
      { code: 'apply', message: `internal error: ${(e as { message?: string }).message ?? String(e)}` },
    ]);
  }
}
