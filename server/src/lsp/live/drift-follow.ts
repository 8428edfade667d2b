// The Drift node follows edits. The live side stays as it was read (on connect or Refresh;
// again only when the declared schemas, the migration role or the platform roles change,
// which changes what there is to read); the declared side is what an edit changes. After
// the workspace's declared state changes, and a pause, each connection whose Drift node the
// client has loaded is compared again, and when what the node shows changed, the client is
// told to redraw it. A burst of edits makes one comparison and at most one redraw.

import type { DbTreeNode, DriftGroup, DriftPlace } from '../../shared/protocol';
import { compareLive, DriftComparison, rootRelative } from './drift';
import { driftEntryNodes, driftGroupNodes, driftGroupOf } from './drift-tree';
import type { Live, LiveSessions } from './sessions';

/** The pause after the last change of the declared state before comparing again. */
export const DRIFT_FOLLOW_MS = 400;

/** The entries of one root's group, as the Drift node shows them. */
export function driftEntries(root: DriftComparison['roots'][number], group: DriftGroup): DbTreeNode[] {
  const display = (p: DriftPlace) => `${rootRelative(root.root, p.uri)}:${p.range.start.line + 1}`;
  return driftEntryNodes(group, root.findings, new Map(root.declared.facts.map((f) => [f.key, f])), root.places, display);
}

/** Everything the Drift node shows of a comparison, at every level, as one text to compare. */
export function driftShown(c: DriftComparison): string {
  return JSON.stringify(
    c.roots.map((r) => ({
      root: r.root,
      groups: driftGroupNodes(r.root, r.findings),
      entries: [...new Set(r.findings.map((f) => driftGroupOf(f.kind)))].map((g) => driftEntries(r, g)),
    })),
  );
}

/** Records what the client was last given of a connection's Drift node. */
export function noteDriftShown(live: Live, c: DriftComparison): void {
  (live.drift ??= {}).shown = driftShown(c);
}

export class DriftFollower {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: LiveSessions,
    /** Tells the client to redraw a connection's Drift node. */
    private readonly redraw: (id: string) => void,
    private readonly delayMs = DRIFT_FOLLOW_MS,
  ) {}

  /** The workspace's declared state changed (an edit, a file on disk, pgwarden.json, a closed document), or its statements moved. */
  declaredChanged(): void {
    if (!this.sessions.connected().some((l) => l.drift?.shown !== undefined)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.compare();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async compare(): Promise<void> {
    for (const live of this.sessions.connected()) {
      const shown = live.drift?.shown;
      if (shown === undefined) continue;
      let now: string;
      try {
        now = driftShown(await compareLive(this.sessions, live));
      } catch (err) {
        // The node shows the failure when it asks again (a lost session, a read refused).
        now = `failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      // A Refresh (which forgets it) or the client's own read came first: nothing to tell.
      if (!live.drift || live.drift.shown !== shown || now === shown) continue;
      live.drift.shown = now;
      this.redraw(live.id);
    }
  }
}
