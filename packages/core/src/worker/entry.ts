/**
 * Worker entry of @calsync/core: runs the engine inside a dedicated module Worker and
 * exposes it with Comlink. The page side is `createCalendarSync()` (index.ts); apps do
 * not import this file directly unless their bundler needs an explicit worker URL.
 */
import { expose } from 'comlink';
import { createWorkerApi } from './api.ts';
import { registerErrorTransfer } from './error-transfer.ts';

registerErrorTransfer();
expose(createWorkerApi());
