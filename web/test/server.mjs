/** Starts the real product (`./opsagent up`) for the browser test, and stops it (its whole process group). */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, openSync, closeSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Runs `./opsagent up --port N --in-memory [args]` from the repository root (with `env` added) and waits for /healthz.
 * @returns {Promise<{url: string, stop: () => Promise<void>, log: () => string}>}
 */
export async function startServer({ timeoutMs = Number(process.env.OPSAGENT_START_TIMEOUT_MS || 300000), args = [], env = {} } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'opsagent-e2e-'));
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  const launcher = join(REPO_ROOT, 'opsagent');
  if (!existsSync(launcher)) throw new Error(`launcher not found: ${launcher}`);
  const child = spawn(launcher, ['up', '--port', String(port), '--in-memory', ...args], {
    cwd: REPO_ROOT, detached: true, stdio: ['ignore', fd, fd],
    // the change chain uses the suite's LocalStack when scripts/test runs one (left running for the other tests)
    env: { ...process.env, ...(process.env.OPSAGENT_TEST_LOCALSTACK_PORT ? { OPSAGENT_LOCALSTACK_PORT: process.env.OPSAGENT_TEST_LOCALSTACK_PORT } : {}), ...env, TMPDIR: dir },
  });
  let exited = null;
  const killOnExit = () => { if (!exited) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } } };
  process.on('exit', killOnExit); // even if the test process dies, the server does not outlive it
  child.on('exit', (code, signal) => { exited = { code, signal }; process.off('exit', killOnExit); });
  const url = `http://127.0.0.1:${port}`;
  let logText = null; // kept after the temporary directory is removed
  const log = () => { if (logText !== null) return logText; try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await gone;
      clearTimeout(t);
    }
    if (logText === null) {
      logText = log();
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`opsagent up exited (${JSON.stringify(exited)}) before it answered /healthz:\n${log().slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`opsagent up did not answer ${url}/healthz within ${timeoutMs} ms:\n${log().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop, log };
}
