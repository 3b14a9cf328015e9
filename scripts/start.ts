/**
 * `npm start`: starts the demo stack (start.sh builds first) and prints the URL. Fixed ports
 * and a kept data folder, so a browser that used the demo before finds its server again.
 */
import { join } from 'node:path';
import { startStack } from './stack.ts';

const stack = await startStack({
  demoPort: Number(process.env.DEMO_PORT ?? 5173),
  proxyPort: Number(process.env.PROXY_PORT ?? 8787),
  radicalePort: Number(process.env.RADICALE_PORT ?? 5252),
  dataDir: process.env.CALSYNC_DEMO_DATA ?? join(import.meta.dirname, '..', '.calsync-demo', 'radicale'),
});
console.info(`
  calsync demo is running (${stack.seeded ? `${stack.seeded} demo objects seeded` : 'demo data kept from the last run; delete .calsync-demo/ to reseed'})

  Demo app:  ${stack.demoUrl}        ← open this
  Proxy:     ${stack.proxyUrl}
  Radicale:  ${stack.radicaleUrl}   user demo / password demo

  Press Ctrl+C to stop.
`);
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
