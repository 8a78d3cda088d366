/**
 * The deployment's configuration: `config.json` next to index.html, written by scripts/publish-web from the stack
 * outputs. None (404, as with `./opsagent up`) means local mode: same-origin API and the dev-user switcher.
 */

/** Fields AWS mode needs. */
export const REQUIRED = ['apiUrl', 'chatUrl', 'clientId', 'authDomain', 'redirectUri'];

/** Checks a parsed config.json; returns it, or throws naming what is missing. */
export function validateConfig(c) {
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw new Error('config.json is not a JSON object');
  const missing = REQUIRED.filter((k) => typeof c[k] !== 'string' || !c[k].trim() || c[k] === 'None');
  if (missing.length) {
    throw new Error(`config.json lacks ${missing.join(', ')} (run scripts/publish-web against the deployed stack)`);
  }
  return c;
}

/** Loads config.json: the config (AWS mode), or null when there is none (local mode). */
export async function loadConfig(url = 'config.json') {
  const res = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`cannot load ${url}: HTTP ${res.status} (run scripts/publish-web)`);
  let json;
  try { json = JSON.parse(await res.text()); } catch { throw new Error(`${url} is not valid JSON`); }
  return validateConfig(json);
}
