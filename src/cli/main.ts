import { Command, CommanderError } from 'commander';
import { CtnetFailure } from '../model/errors.js';
import { DEFAULT_STATE_DIR } from '../state/store.js';
import { reportErrors, type GlobalOpts } from './output.js';
import { cmdApply } from './cmd-apply.js';
import { cmdPlan, cmdSnapshot, cmdValidate } from './cmd-plan.js';
import { cmdStatus } from './cmd-status.js';

type Raw = { stateDir?: string; hostNetns?: string; json?: boolean; color?: boolean; quiet?: boolean; verbose?: boolean };

function globals(raw: Raw): GlobalOpts {
  return {
    stateDir: raw.stateDir ?? process.env.CTNET_STATE_DIR ?? DEFAULT_STATE_DIR,
    hostNetns: raw.hostNetns ?? process.env.CTNET_HOST_NETNS ?? null,
    json: !!raw.json,
    color: raw.color !== false && !!process.stdout.isTTY && !process.env.NO_COLOR,
    quiet: !!raw.quiet,
    verbose: !!raw.verbose,
  };
}

/** The CLI entry point: the one place that turns error values into messages and exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  let g = globals({});
  const wrap = (fn: (opts: GlobalOpts, ...a: any[]) => Promise<number>) => async (...args: any[]) => {
    const cmd = args[args.length - 1] as Command;
    g = globals(cmd.optsWithGlobals() as Raw);
    code = await fn(g, ...args.slice(0, -2), args[args.length - 2]);
  };
  const program = new Command('ctnet')
    .description('Declarative host networking for containers and VMs')
    .option('--state-dir <dir>', 'state directory (env CTNET_STATE_DIR)')
    .option('--host-netns <name>', 'treat this named namespace as the host (env CTNET_HOST_NETNS)')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no colours')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'say more')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.command('validate').description('YAML, schema and cross-object checks; changes nothing').argument('<paths...>').action(wrap((o, paths) => cmdValidate(o, paths)));
  program.command('plan').description('the ordered actions apply would run').argument('<paths...>')
    .option('--detailed-exitcode', 'exit 2 when there are changes')
    .option('--snapshot <file>', 'plan offline against a saved snapshot')
    .option('-o, --output <format>', 'text, json or script')
    .option('--adopt', 'take over foreign objects in the way')
    .action(wrap((o, paths, opts) => cmdPlan(o, paths, opts)));
  program.command('apply').description('converge the kernel to the manifests, then verify').argument('<paths...>')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--adopt', 'take over foreign objects in the way')
    .action(wrap((o, paths, opts) => cmdApply(o, paths, opts)));
  program.command('destroy').description('remove what ctnet owns (or what these manifests describe)').argument('[paths...]').action(wrap((o, paths) => cmdApply(o, paths ?? [], {}, true)));
  program.command('status').description('owned objects, their health, drift from the last apply').action(wrap((o) => cmdStatus(o)));
  program.command('snapshot').description('observed state and inventory as JSON, for plan --snapshot').argument('[paths...]').action(wrap((o, paths) => cmdSnapshot(o, paths ?? [])));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CtnetFailure) return reportErrors(g, e.errors);
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 3;
    return reportErrors(g, [{ code: 'apply', message: (e as Error).stack ?? String(e) }]);
  }
}
