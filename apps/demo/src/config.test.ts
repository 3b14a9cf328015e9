import { describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig, rememberable } from './config.ts';

const SERVED = {
  proxyUrl: 'http://127.0.0.1:9000/',
  serverUrl: 'http://127.0.0.1:5232/',
  username: 'demo',
  password: 'pw-from-config-json',
};

/** A Storage stand-in that records what was written. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

function sources(storage: ConfigSources['storage'], answer: () => Promise<Response>): ConfigSources {
  return { fetch: answer, storage };
}

const everythingStored = (storage: ReturnType<typeof memoryStorage>) => [...storage.items.values()].join('\n');

describe('loadConfig', () => {
  it('prefills the form with the served password but stores only non-secret fields', async () => {
    const storage = memoryStorage();
    const config = await loadConfig(sources(storage, async () => Response.json(SERVED)));
    expect(config.password).toBe('pw-from-config-json');
    expect(everythingStored(storage)).not.toContain('pw-from-config-json');
    const stored = JSON.parse(storage.items.get('calsync-demo-config') ?? '{}');
    expect(stored).toEqual({ proxyUrl: SERVED.proxyUrl, serverUrl: SERVED.serverUrl, username: 'demo' });
    expect(stored).not.toHaveProperty('password');
  });

  it('starts offline from the remembered copy and scrubs a password an older build stored', async () => {
    const storage = memoryStorage({ 'calsync-demo-config': JSON.stringify(SERVED) });
    const config = await loadConfig(sources(storage, () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(config).toEqual({ proxyUrl: SERVED.proxyUrl, serverUrl: SERVED.serverUrl, username: 'demo' });
    expect(everythingStored(storage)).not.toContain('pw-from-config-json');
  });

  it('falls back to the remembered copy when config.json is not served', async () => {
    const storage = memoryStorage({ 'calsync-demo-config': JSON.stringify({ proxyUrl: SERVED.proxyUrl }) });
    const config = await loadConfig(sources(storage, async () => new Response('', { status: 404 })));
    expect(config).toEqual({ proxyUrl: SERVED.proxyUrl });
  });
});

describe('rememberable', () => {
  it('keeps an allow-list, so a secret field added to config.json later is not stored either', () => {
    const withToken = { ...SERVED, token: 'secret-token' } as Parameters<typeof rememberable>[0];
    expect(JSON.stringify(rememberable(withToken))).not.toMatch(/secret-token|pw-from-config-json/);
  });
});
