/** `npm start`: builds nothing itself (start.sh does), starts the demo stack, prints the URL. */
import { startStack } from './stack.ts';

const stack = await startStack({
  demoPort: Number(process.env.DEMO_PORT ?? 5173),
  ...(process.env.PROXY_PORT ? { proxyPort: Number(process.env.PROXY_PORT) } : {}),
});
console.info(`
  calsync demo is running (${stack.seeded} demo objects seeded)

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
