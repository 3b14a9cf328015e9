import { CalsyncError } from '../api/errors.ts';
import type { CalendarSyncOptions } from '../api/types.ts';

/** Where the engine's Worker came from, in words for error messages. */
export interface WorkerSource {
  /** Completes "loaded from …": a URL, or which default/factory was used. */
  readonly label: string;
  /** How to fix a Worker from this source that does not start. */
  readonly fix: string;
}

/** A started Worker and where it came from. */
export interface SpawnedWorker {
  readonly worker: Worker;
  readonly source: WorkerSource;
}

const FACTORY_HINT = "`worker: () => new Worker(url, { type: 'module' })`";

/**
 * Creates the engine's module Worker: from the app's `worker` factory, from `workerUrl`,
 * or from the worker next to this file. Throws `invalid-input` when both a factory and
 * `workerUrl` are given, and a `worker` CalsyncError when the construction itself throws
 * (`new Worker` throws at once for a malformed or cross-origin URL).
 */
export function spawnWorker(options: Pick<CalendarSyncOptions, 'worker' | 'workerUrl'>): SpawnedWorker {
  const factory = typeof options.worker === 'function' ? options.worker : undefined;
  if (factory && options.workerUrl !== undefined) {
    throw new CalsyncError('invalid-input', 'Pass either `worker` as a factory or `workerUrl`, not both.');
  }
  const source: WorkerSource = factory
    ? {
        label: 'the Worker your `worker` factory created',
        fix: "Check that the factory returns a module Worker (`{ type: 'module' }`) running `@calsync/core/worker`.",
      }
    : options.workerUrl !== undefined
      ? {
          label: cleanUrl(options.workerUrl),
          fix:
            'Check that this URL serves `@calsync/core/worker` built as a module script (not, e.g., an index.html ' +
            `fallback), or pass ${FACTORY_HINT} — see \`workerUrl\` and \`worker\` in the README.`,
        }
      : {
          label: "@calsync/core's own worker URL (`new URL('./entry.ts', import.meta.url)`)",
          fix:
            "If your bundler does not bundle `new Worker(new URL('./entry.ts', import.meta.url))` inside " +
            '@calsync/core, build `@calsync/core/worker` as a module script and pass its URL as `workerUrl`, or pass ' +
            `${FACTORY_HINT} — see \`workerUrl\` and \`worker\` in the README.`,
        };
  try {
    const worker = factory
      ? factory()
      : options.workerUrl !== undefined
        ? new Worker(options.workerUrl, { type: 'module', name: 'calsync' })
        : // Keep this expression literal: bundlers (Vite, webpack 5) only bundle the worker for it.
          new Worker(new URL('./entry.ts', import.meta.url), { type: 'module', name: 'calsync' });
    return { worker, source };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CalsyncError(
      'worker',
      `The calsync worker could not be created from ${source.label}: ${reason}. ${source.fix}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The URL for a message: without user info, query or fragment, which is where secrets
 * would be. A relative URL (not parseable without a base) is printed as given.
 */
export function cleanUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(/[?#].*$/s, '');
  }
  // A data: URL is the whole script: too long for a message.
  if (parsed.protocol === 'data:') return 'a data: URL';
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}
