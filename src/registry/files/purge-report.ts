// What `purge` and `purge --orphans` remove, one item at a time, and the tally of a run. Pure.

/** One thing purge removed (or, in a dry run, would remove). */
export type PurgedItem =
  | {
      /** An object of a record or dataset deleted before the cutoff. */
      readonly kind: 'object';
      readonly key: string;
      readonly size: number;
      readonly recordId: string;
      readonly datasetId: string | null;
      readonly deletedAt: string;
    }
  | {
      /** The object of a file version deleted, or superseded by a newer version, before the cutoff. */
      readonly kind: 'file-version';
      readonly key: string;
      readonly size: number;
    }
  | {
      /** An upload session idle past the maximum age, or of a purged record or dataset. */
      readonly kind: 'upload-session';
      readonly sessionId: string;
      readonly key: string;
      readonly recordId: string;
      readonly updatedAt: string;
    }
  | {
      /** (--orphans) A multipart upload without a session (a crashed server's), older than the maximum age. */
      readonly kind: 'orphaned-upload';
      readonly key: string;
      readonly uploadId: string;
      readonly initiated: Date;
    }
  | {
      /**
       * (--orphans) An object with a key as the registry writes them, under a record's storage
       * id, that no file row (live or deleted) and no upload session references, last modified
       * before the cutoff: a server crashed between storing it and writing its file row, or an
       * older purge forgot the rows of a deleted record before its objects were gone.
       */
      readonly kind: 'unreferenced-object';
      readonly key: string;
      readonly size: number;
      readonly lastModified: Date;
    }
  | {
      /** (--orphans) A local upload's temporary file, last written before the cutoff: its upload stopped. */
      readonly kind: 'temporary-file';
      readonly path: string;
      readonly size: number;
      readonly lastModified: Date;
    };

export interface PurgeSummary {
  readonly objects: number;
  readonly bytes: number;
  readonly uploadSessions: number;
  readonly orphanedUploads: number;
  readonly temporaryFiles: number;
}

/** What one purge has done so far: counts, and what it must not report twice. */
export class PurgeTally {
  readonly isDryRun: boolean;
  readonly #onPurged: (item: PurgedItem) => void;
  readonly #abortedSessions = new Set<string>();
  // A dry run changes no row, so a later step can find again what an earlier one reported.
  readonly #reportedKeys = new Set<string>();
  #objects = 0;
  #bytes = 0;
  #sessions = 0;
  #orphans = 0;
  #temporaryFiles = 0;

  constructor(options: { isDryRun: boolean; onPurged?: ((item: PurgedItem) => void) | undefined }) {
    this.isDryRun = options.isDryRun;
    this.#onPurged = options.onPurged ?? (() => undefined);
  }

  report(item: PurgedItem): void {
    switch (item.kind) {
      case 'object':
      case 'file-version':
      case 'unreferenced-object':
        if (this.isDryRun) this.#reportedKeys.add(item.key);
        this.#objects += 1;
        this.#bytes += item.size;
        break;
      case 'upload-session':
        this.#sessions += 1;
        this.#abortedSessions.add(item.sessionId);
        break;
      case 'orphaned-upload':
        this.#orphans += 1;
        break;
      case 'temporary-file':
        this.#temporaryFiles += 1;
        break;
      default:
        return item satisfies never;
    }
    this.#onPurged(item);
  }

  /** Whether a dry run has already reported the object under `key`. */
  hasReportedKey(key: string): boolean {
    return this.#reportedKeys.has(key);
  }

  hasAbortedSession(sessionId: string): boolean {
    return this.#abortedSessions.has(sessionId);
  }

  get objects(): number {
    return this.#objects;
  }

  summary(): PurgeSummary {
    return {
      objects: this.#objects,
      bytes: this.#bytes,
      uploadSessions: this.#sessions,
      orphanedUploads: this.#orphans,
      temporaryFiles: this.#temporaryFiles,
    };
  }
}
