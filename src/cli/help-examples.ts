import type { Command } from 'commander';

/** An example as --help shows it: what it does (a comment line), then the command line itself. */
export interface HelpExample {
  readonly what: string;
  readonly line: string;
}

/**
 * One example per command, keyed by the command's name (`ctnet` is the program's own). The
 * directory is the one deploy/ctnet-watch.service watches, so an example reads as a real host's;
 * each line runs as written against the shipped examples (manifests/) once they are there.
 */
export const HELP_EXAMPLES: Readonly<Record<string, HelpExample>> = {
  ctnet: {
    what: 'check the manifests, show what would change, then change it',
    line: 'ctnet validate /etc/ctnet/manifests && ctnet plan /etc/ctnet/manifests && ctnet apply /etc/ctnet/manifests',
  },
  validate: {
    what: 'check every manifest under a directory (and single files), touching nothing',
    line: 'ctnet validate /etc/ctnet/manifests',
  },
  plan: {
    what: 'what apply would do; exit 0 when the kernel matches, 2 when there are changes',
    line: 'ctnet plan --detailed-exitcode /etc/ctnet/manifests',
  },
  apply: {
    what: 'converge the kernel to the manifests, then observe again and verify',
    line: 'ctnet apply /etc/ctnet/manifests',
  },
  destroy: {
    what: 'list what destroy would remove (everything ctnet owns), changing nothing',
    line: 'ctnet destroy --dry-run',
  },
  status: {
    what: 'what ctnet owns, the sysctls it changed and the drift since the last apply, as one JSON document',
    line: 'ctnet status --json',
  },
  snapshot: {
    what: "save this host's state, then plan against it offline (on another machine, or later)",
    line: 'ctnet snapshot > host.json && ctnet plan --snapshot host.json /etc/ctnet/manifests',
  },
  graph: {
    what: 'draw the manifests as an SVG picture (offline: no kernel needed); --plan colours what apply would change',
    line: 'ctnet graph -o svg /etc/ctnet/manifests',
  },
  set: {
    what: "add an address to container ct101's routed interface, in its manifest file, and apply",
    line: 'ctnet set ct101 --ipadd 192.168.200.110 --save',
  },
  show: {
    what: 'a plan saved by `ctnet plan DIR --out plan.json`, as the commands `ctnet apply plan.json` will run',
    line: 'ctnet show plan.json -o script',
  },
  confirm: {
    what: 'keep the change `ctnet apply --confirm 120 DIR` made; without this, the host goes back at the deadline',
    line: 'ctnet confirm',
  },
  import: {
    what: "describe an OpenVZ host's containers (vzctl configs) as manifests, then check them",
    line: 'ctnet import openvz /etc/vz/conf > imported.yaml && ctnet validate imported.yaml',
  },
  schema: {
    what: 'save the schema for editors: a YAML file starting `# yaml-language-server: $schema=ctnet.schema.json` is checked',
    line: 'ctnet schema > ctnet.schema.json',
  },
  explain: {
    what: "what a container's interfaces take, field by field, from the schema",
    line: 'ctnet explain Container.spec.interfaces',
  },
  watch: {
    what: 'keep the host converged to a directory (as deploy/ctnet-watch.service runs it)',
    line: 'ctnet watch /etc/ctnet/manifests --log-format json --metrics-addr 127.0.0.1:9463',
  },
};

export const exampleText = (e: HelpExample): string => `\nExample:\n  # ${e.what}\n  ${e.line}`;

/**
 * Adds each command's example after its --help. A command added without one shows none, and the
 * test that every --help has an Example section fails: that is where it is caught.
 */
export function addHelpExamples(program: Command): void {
  for (const cmd of [program, ...program.commands]) {
    const name = cmd === program ? 'ctnet' : cmd.name();
    if (Object.hasOwn(HELP_EXAMPLES, name)) cmd.addHelpText('after', exampleText(HELP_EXAMPLES[name]));
  }
}
