// When an open document's diagnostics may be computed while the workspace is indexed. A
// small workspace is indexed before any document's diagnostics, so its first diagnostics
// are final. From PROVISIONAL_FROM_FILES SQL files on, indexing takes seconds: the
// documents open meanwhile get provisional diagnostics from the facts indexed so far (their
// own file's always among them), and the final ones when the index is complete (the server
// refreshes every document then).

/** From this many SQL files on, open documents do not wait for the index. */
export const PROVISIONAL_FROM_FILES = 500;

export class IndexProgress {
  private provisional = false;
  private markStarted: () => void = () => undefined;
  private markIndexed: () => void = () => undefined;
  /** Resolves once pgwarden.json is read and the files to index are counted. */
  private readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));
  /** Resolves once the workspace is indexed: until then findings could miss other files' facts. */
  readonly indexed = new Promise<void>((resolve) => (this.markIndexed = resolve));

  /** The files to index are counted (the first batch follows). */
  counted(files: number): void {
    this.provisional = files >= PROVISIONAL_FROM_FILES;
    this.markStarted();
  }

  /** Indexing ended (or failed): every document's diagnostics are final from now on. */
  done(): void {
    this.provisional = false;
    this.markStarted();
    this.markIndexed();
  }

  /** Resolves when an open document's diagnostics may be computed. */
  async documentReady(): Promise<void> {
    await this.started;
    if (!this.provisional) await this.indexed;
  }
}
