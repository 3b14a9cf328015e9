import { copyFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { freePort } from '../helpers/free-port.ts';
import type { RadicaleServer } from '../helpers/radicale.ts';
import { exerciseApp, launchChromium, serveStatic } from './browser-app.ts';
import { npmInstall, packPackage, run } from './pack.ts';
import { startCorsRadicale } from './radicale-for-apps.ts';

/** A fixture app installed from the packed @calsync/core, with its Radicale and a browser. */
export interface ConsumerApp {
  /** The app's folder (a temp copy of `test/consumers/apps/<name>`, installed). */
  readonly dir: string;
  /** The port the app is served on (Radicale's CORS headers allow exactly this origin). */
  readonly port: number;
  readonly url: string;
  readonly server: RadicaleServer;
  readonly browser: Browser;
  /** The checks every browser app must pass (see `exerciseApp`), in a fresh browser context. */
  exercise(offlineSummary?: string): ReturnType<typeof exerciseApp>;
  /**
   * Builds a static app (`command args` in its folder, output in `dist/`), serves `dist/`
   * with the app's index.html, and runs {@link exercise} on it.
   */
  exerciseStaticBuild(command: string, args: string[]): ReturnType<typeof exerciseApp>;
  close(): Promise<void>;
}

/**
 * Copies `test/consumers/apps/<name>` to a temp folder, writes its package.json with the
 * packed @calsync/core tarball (not the workspace) and `devDependencies`, installs it, and
 * starts a Radicale with CORS headers for the app's origin and a Chromium.
 */
export async function setUpConsumerApp(
  name: string,
  packageJson: {
    devDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
    type?: 'module';
    /** More workspace packages to install packed, e.g. `['react']` for packages/react (@calsync/react). */
    adapters?: readonly string[];
  },
): Promise<ConsumerApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = await startCorsRadicale(`http://127.0.0.1:${port}`);
  const tarball = await packPackage('packages/core');
  const adapters: Record<string, string> = {};
  for (const adapter of packageJson.adapters ?? []) {
    adapters[`@calsync/${adapter}`] = `file:${await packPackage(`packages/${adapter}`)}`;
  }
  const dir = await mkdtemp(join(tmpdir(), `calsync-${name}-app-`));
  await cp(join(import.meta.dirname, 'apps', name), dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `${name}-app`,
      private: true,
      ...(packageJson.type === undefined ? {} : { type: packageJson.type }),
      dependencies: { '@calsync/core': `file:${tarball}`, ...adapters, ...packageJson.dependencies },
      devDependencies: packageJson.devDependencies ?? {},
    }),
  );
  await npmInstall(dir);
  const browser = await launchChromium();
  const exercise = async (offlineSummary?: string) => {
    const page = await (await browser.newContext()).newPage();
    return exerciseApp(
      page,
      url,
      { url: server.url, username: 'demo', password: 'demo', calendarPath: '/demo/work/' },
      offlineSummary,
    );
  };
  return {
    dir,
    port,
    url,
    server,
    browser,
    exercise,
    async exerciseStaticBuild(command, args) {
      await run(join(dir, 'node_modules/.bin', command), args, { cwd: dir });
      await copyFile(join(dir, 'index.html'), join(dir, 'dist/index.html'));
      const site = await serveStatic(join(dir, 'dist'), port);
      try {
        return await exercise();
      } finally {
        await site.close();
      }
    },
    async close() {
      await browser.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
