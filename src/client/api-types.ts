// The JSON bodies of the API that the client reads, reduced to the fields it uses (snake_case as
// sent). See docs/api.md for the full bodies.

export interface RecordJson {
  readonly id: string;
  readonly name: string;
}

export interface PageJson<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

export interface FileJson {
  readonly name: string;
  /** Absent from the answers of a server of the release before versions. */
  readonly version?: number;
  readonly size: number;
  readonly sha256: string;
  readonly content_type: string;
  readonly created_at: string;
}
