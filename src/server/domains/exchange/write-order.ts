/**
 * Two batches of an import may be written at once, each in its own
 * transaction, so that the database works on one while the other waits for
 * its turn. A batch looks up duplicates in the workspace with its own
 * snapshot, which may not yet show the contacts an earlier batch is still
 * writing; WriteOrder hands it those, and makes batches choose their rows
 * (create or skip) in file order, so a phone repeated across two batches
 * written together still makes one contact.
 */

export interface Turn {
  /** Resolves once every earlier batch has chosen its rows. */
  ready: Promise<void>;
  /** The contact an earlier batch is creating with this phone or e-mail key, if this batch's snapshot may not show it. */
  owner(key: string): string | undefined;
  /** This batch's choice made: the keys of the contacts it creates. */
  decided(created: Map<string, string>): void;
  /** This batch's transaction has ended (committed, or rolled back by a dry run). */
  ended(): void;
}

interface Written {
  created: Map<string, string>;
  endedAt: number | null;
}

export class WriteOrder {
  private clock = 0;
  private written: Written[] = [];
  private last: Promise<void> = Promise.resolve();

  /** A batch starts (before its first statement): its turn. */
  begin(): Turn {
    const startedAt = ++this.clock;
    const ready = this.last;
    let release!: () => void;
    this.last = new Promise<void>((resolve) => (release = resolve));
    const mine: Written = { created: new Map(), endedAt: null };
    // Batches whose transaction had ended before this one started are in its snapshot.
    const unseen = (w: Written) => w.endedAt === null || w.endedAt > startedAt;
    let chose = false;
    return {
      ready,
      owner: (key) => {
        for (const w of this.written) if (unseen(w)) {
          const id = w.created.get(key);
          if (id) return id;
        }
        return undefined;
      },
      decided: (created) => {
        if (chose) return;
        chose = true;
        mine.created = created;
        // What this batch's snapshot shows, every later batch's shows too (they start later).
        this.written = this.written.filter(unseen);
        this.written.push(mine);
        release();
      },
      ended: () => {
        mine.endedAt = ++this.clock;
        // A batch that failed before choosing must not hold the later ones.
        if (!chose) {
          chose = true;
          release();
        }
      },
    };
  }
}
