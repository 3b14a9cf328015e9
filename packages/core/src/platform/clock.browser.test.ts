import { describe } from 'vitest';
import { systemClockSuite } from './clock-suite.ts';

describe('systemClock (Chromium)', () => systemClockSuite());
