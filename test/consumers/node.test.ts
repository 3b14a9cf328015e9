import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DavTestClient } from '../helpers/dav-client.ts';
import { buildIcs } from '../helpers/ics-builder.ts';
import { type RadicaleServer, startRadicale } from '../helpers/radicale.ts';
import { npmInstall, packPackage, ROOT, run } from './pack.ts';

// The README's "In Node" example, verbatim, in a fresh app that installs the packed
// @calsync/core tarball (not the workspace): plain Node, no TypeScript loader.

/** The code block under the README heading "In Node", as a user would copy it. */
async function readmeNodeExample(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### In Node'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README has no code block under "In Node"');
  return match[1];
}

describe('the packed @calsync/core in a plain Node app', () => {
  let server: RadicaleServer;
  let app: string;

  beforeAll(async () => {
    server = await startRadicale({ users: { demo: 'demo' } });
    const dav = new DavTestClient(server.url, 'demo', 'demo');
    await dav.makeCalendar('/demo/work/', 'Work');
    const soon = new Date(Date.now() + 2 * 86_400_000);
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15);
    await dav.put(
      '/demo/work/soon.ics',
      buildIcs({
        uid: 'soon',
        summary: 'Packed and synced',
        start: `${stamp(soon)}Z`,
        end: `${stamp(new Date(soon.getTime() + 3_600_000))}Z`,
      }),
    );
    const tarball = await packPackage('packages/core');
    app = await mkdtemp(join(tmpdir(), 'calsync-node-app-'));
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'node-app',
        private: true,
        type: 'module',
        dependencies: { '@calsync/core': `file:${tarball}`, 'fake-indexeddb': '^6.2.8' },
      }),
    );
    await npmInstall(app);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it("runs the README's example as written, against a real Radicale", async () => {
    const code = (await readmeNodeExample()).replace('http://127.0.0.1:PORT/', server.url);
    expect(code).toContain(server.url);
    await writeFile(join(app, 'example.mjs'), code);
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: app, timeout: 60_000 });
    expect(stdout).toMatch(/^\d+ requests$/m);
    expect(stdout).toContain("summary: 'Packed and synced'");
  });

  it('installs built JavaScript only: no TypeScript is loaded at run time', async () => {
    const manifest = JSON.parse(await readFile(join(app, 'node_modules/@calsync/core/package.json'), 'utf8'));
    expect(manifest.exports['.'].default).toBe('./dist/index.js');
    expect(manifest.exports['./worker'].default).toBe('./dist/worker/entry.js');
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('@calsync/core'); console.log(typeof m.createCalendarSync, typeof m.CalsyncError)",
      ],
      { cwd: app },
    );
    expect(stdout.trim()).toBe('function function');
  });
});
