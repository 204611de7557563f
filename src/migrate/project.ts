// The versions folder as a project: its revision files loaded, validated and built into the
// revision graph. Imports no database code, so the commands that need none start fast.

import { isDataRegistryError } from '../shared/errors.js';
import { RevisionGraph } from './graph/revision-graph.js';
import type { RevisionSource } from './files/revision-source.js';
import type { HeaderCacheOptions } from './files/header-cache.js';
import { loadVersionsFolder } from './files/versions-folder.js';

/** A versions folder, loaded and validated. */
export interface Project {
  readonly versionsDir: string;
  readonly graph: RevisionGraph;
  readonly sources: ReadonlyMap<string, RevisionSource>;
}

export interface LoadProjectOptions {
  /** Treat a missing folder as empty (for `revision`, which creates it) instead of failing. */
  readonly allowMissingFolder?: boolean;
  /** Keep parsed SQL headers between runs (see files/header-cache.ts); none when undefined. */
  readonly headerCache?: HeaderCacheOptions | undefined;
}

export async function loadProject(
  versionsDir: string,
  options: LoadProjectOptions = {},
): Promise<Project> {
  const sources = await loadVersionsFolder(versionsDir, {
    headerCache: options.headerCache,
  }).catch((error: unknown) => {
    if (
      options.allowMissingFolder &&
      isDataRegistryError(error) &&
      error.code === 'VERSIONS_FOLDER_NOT_FOUND'
    ) {
      return [];
    }
    throw error;
  });
  const graph = RevisionGraph.build(sources.map((source) => source.revision));
  return {
    versionsDir,
    graph,
    sources: new Map(sources.map((source) => [source.revision.id, source])),
  };
}
