/** Runtime settings of the demo, served as /config.json by the demo server. */
export interface DemoConfig {
  /** CORS proxy base URL; omitted when the CalDAV server allows the app's origin itself. */
  proxyUrl?: string;
  /** Prefills the "add account" form. */
  serverUrl?: string;
  username?: string;
  /** Prefills the form only; held in memory, never stored by the demo (see `rememberable`). */
  password?: string;
}

const KEY = 'calsync-demo-config';

/** Where `loadConfig` reads from; parameters so that tests need no browser. */
export interface ConfigSources {
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The part of the config that may be written to localStorage: an allow-list of fields that
 * are not secrets, so a password (or any secret field added later) never lands in plain
 * text outside the SDK, which keeps the password encrypted once the account is added.
 */
export function rememberable(config: DemoConfig): DemoConfig {
  const kept: DemoConfig = {};
  if (typeof config.proxyUrl === 'string') kept.proxyUrl = config.proxyUrl;
  if (typeof config.serverUrl === 'string') kept.serverUrl = config.serverUrl;
  if (typeof config.username === 'string') kept.username = config.username;
  return kept;
}

/**
 * Loads /config.json from the network and remembers its non-secret part, so that the app
 * still knows its proxy when it starts offline (the service worker does not cache
 * config.json on purpose: ports change between runs).
 */
export async function loadConfig(
  sources: ConfigSources = { fetch: (url, init) => fetch(url, init), storage: localStorage },
): Promise<DemoConfig> {
  try {
    const response = await sources.fetch('/config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as DemoConfig;
      sources.storage.setItem(KEY, JSON.stringify(rememberable(config)));
      return config;
    }
  } catch {
    // Offline: fall back to the remembered copy below.
  }
  const stored = sources.storage.getItem(KEY);
  if (!stored) return {};
  // Builds before this one stored the whole config, password included: rewrite it.
  const config = rememberable(JSON.parse(stored) as DemoConfig);
  sources.storage.setItem(KEY, JSON.stringify(config));
  return config;
}
