/**
 * Full-text search over stored calendar objects: a pure in-memory index (no I/O, no
 * timers) that the engine keeps per calendar, updated on pull and edit.
 */

export type { SearchableFields } from './extract.ts';
export { searchableFields } from './extract.ts';
export { fold, tokens } from './normalize.ts';
export type { SearchHit, SearchIndexOptions, SearchIndexStats } from './search-index.ts';
export { SearchIndex } from './search-index.ts';
