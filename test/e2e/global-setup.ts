import { startStack } from '../../scripts/stack.ts';

/** Starts the demo stack once for all specs; URLs reach the specs through the environment. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startStack();
  process.env.CALSYNC_DEMO_URL = stack.demoUrl;
  process.env.CALSYNC_PROXY_URL = stack.proxyUrl;
  process.env.CALSYNC_RADICALE_URL = stack.radicaleUrl;
  return () => stack.stop();
}
