/** Entry of the bench page: installs `window.calsyncBench` (see bench-api.ts). */
import { createCalendarSync } from '@calsync/core';
import { createBenchApi } from './bench-api.ts';

Object.assign(window, { calsyncBench: createBenchApi(createCalendarSync) });
