/**
 * Messages between the FluoroLens tabs of one browser (one origin, one IndexedDB): which runs
 * each one is annotating. Autosave is keyed by the run's identity, so two tabs annotating the same
 * run write over each other's work; the tabs tell each other so the user can be warned.
 */
export interface TabMessage {
  /** 'editing': this tab made its first change to the run; 'open-here': the run is open in this tab too. */
  readonly kind: 'editing' | 'open-here';
  readonly identity: string;
}

const CHANNEL_NAME = 'fluorolens-annotation-work';
let channel: BroadcastChannel | null | undefined;

function tabChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
    // Node (unit tests) keeps a process alive while a channel is open; a page does not care.
    (channel as { unref?: () => void } | null)?.unref?.();
  }
  return channel;
}

/** Tells the other tabs; a tab never receives its own messages. */
export function postToOtherTabs(message: TabMessage): void {
  tabChannel()?.postMessage(message);
}

export function listenToOtherTabs(handler: (message: TabMessage) => void): () => void {
  const open = tabChannel();
  if (!open) return () => {};
  const listener = (event: MessageEvent<TabMessage>) => {
    const { kind, identity } = event.data ?? {};
    if ((kind === 'editing' || kind === 'open-here') && typeof identity === 'string') handler({ kind, identity });
  };
  open.addEventListener('message', listener);
  return () => open.removeEventListener('message', listener);
}
