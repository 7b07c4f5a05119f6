/** What every source of kernel events offers, and what it is given: the netlink socket and `ip monitor`. */
export interface KernelEvents {
  /** How events are heard: one in-process netlink socket, or an `ip monitor` child (fallback). */
  readonly source: 'netlink' | 'ip monitor';
  /** The monitor child's pid, while it runs (none with netlink). */
  readonly pid: () => number | undefined;
  /**
   * The namespaces ctnet owns now: they are made audible (given an id in the host) if need be.
   * Returns those just given one: their changes until now went unheard.
   */
  own(netns: readonly string[]): readonly string[];
  close(): Promise<void>;
}

export interface KernelEventOptions {
  readonly hostNetns: string | null;
  readonly debounceMs: number;
  /**
   * Links, addresses, routes or proxy entries changed somewhere, then things went quiet.
   * `touched`: the ids (in the host) of the namespaces the changes came from, besides the host's
   * own; undefined when that is not known (ip monitor, dropped messages): anything may have changed.
   */
  readonly onChange: (touched?: { readonly nsids: readonly number[] }) => void;
  readonly onWarning: (message: string) => void;
}
