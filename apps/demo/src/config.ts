/** Runtime settings of the demo, served as /config.json by the demo server. */
export interface DemoConfig {
  /** CORS proxy base URL; omitted when the CalDAV server allows the app's origin itself. */
  proxyUrl?: string;
  /** Prefills the "add account" form. */
  serverUrl?: string;
  username?: string;
  password?: string;
}

const KEY = 'calsync-demo-config';

/**
 * Loads /config.json from the network and remembers it, so that the app still knows its
 * proxy when it starts offline (the service worker does not cache config.json on purpose:
 * ports change between runs).
 */
export async function loadConfig(): Promise<DemoConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as DemoConfig;
      localStorage.setItem(KEY, JSON.stringify(config));
      return config;
    }
  } catch {
    // Offline: fall back to the remembered copy below.
  }
  const stored = localStorage.getItem(KEY);
  return stored ? (JSON.parse(stored) as DemoConfig) : {};
}
