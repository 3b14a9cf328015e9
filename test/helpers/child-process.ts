import type { ChildProcess } from 'node:child_process';

/** Resolves once `url` answers HTTP; fails if the child exits or 20 s pass. */
export async function waitForHttp(name: string, url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr()}`);
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      // Not listening yet: poll, as a starting process offers no readiness event.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start within 20 s: ${stderr()}`);
}

/**
 * Stops a server process: SIGTERM, then SIGKILL after 3 s — a server busy in a loop (Radicale
 * expanding a hostile VTIMEZONE) ignores SIGTERM and would keep a core busy for the rest of
 * the run.
 */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
