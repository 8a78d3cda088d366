/**
 * Signing in to a deployed OpsAgent (AWS mode): the Cognito hosted UI with the OAuth 2.0 authorization code flow
 * and PKCE (S256). The code verifier and state live in sessionStorage for the round trip; the tokens live in
 * sessionStorage too (never localStorage), and are refreshed with the refresh token before they expire.
 * The ID token's payload is decoded for display only (the name in the top bar); the servers verify the tokens.
 *
 * The pure helpers (PKCE, URLs, token decisions) are exported for the unit tests; {@link start} and the rest
 * drive the browser (location, history, sessionStorage, fetch).
 */

const TOKENS_KEY = 'opsagent.auth.tokens';
const PKCE_KEY = 'opsagent.auth.pkce';
/** Refresh this long before the access token expires (clock skew, a slow request). */
export const REFRESH_SKEW_MS = 60_000;

/** A sign-in problem to show on screen (consent denied, state mismatch, token exchange failed...). */
export class AuthError extends Error {
  constructor(message) { super(message); this.name = 'AuthError'; }
}

/** Base64url without padding (RFC 4648 §5), as PKCE wants. */
export function base64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random code verifier: 32 random bytes → 43 characters of [A-Za-z0-9-_] (RFC 7636 §4.1). */
export function randomVerifier() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

/**
 * The hosted UI's base URL. `authDomain` is normally a host (`x.auth.eu-west-1.amazoncognito.com`, https is
 * added); a full URL with a scheme is taken as is (a local stand-in for Cognito, as in the tests).
 */
export function authBase(authDomain) {
  const d = String(authDomain || '').trim().replace(/\/+$/, '');
  if (!d) throw new AuthError('config.json has no authDomain (the Cognito hosted UI domain)');
  return /^https?:\/\//i.test(d) ? d : `https://${d}`;
}

/** The hosted UI's authorize URL for a sign-in with this state and challenge. */
export function authorizeUrl(config, { state, challenge }) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${authBase(config.authDomain)}/oauth2/authorize?${q}`;
}

/** The hosted UI's logout URL (it ends the Cognito session, then returns to the UI). */
export function logoutUrl(config) {
  const q = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
  return `${authBase(config.authDomain)}/logout?${q}`;
}

/** The token endpoint's form body for a code exchange or a refresh. */
export function tokenForm(config, grant) {
  const f = grant.code
    ? { grant_type: 'authorization_code', client_id: config.clientId, code: grant.code,
      redirect_uri: config.redirectUri, code_verifier: grant.verifier }
    : { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: grant.refreshToken };
  return new URLSearchParams(f).toString();
}

/** A JWT's payload, decoded but NOT verified (display only); null when it is not a JWT. */
export function decodeJwt(token) {
  try {
    const part = String(token).split('.')[1];
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bin = atob(b64);
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

/**
 * The tokens to keep from a token endpoint answer. A refresh answer has no refresh token (Cognito keeps the old
 * one valid), so the previous one is kept. `expiresAt` is the earlier of `expires_in` and the access token's exp.
 */
export function tokensFrom(json, now, previous = null) {
  if (!json || typeof json.access_token !== 'string' || !json.access_token) {
    throw new AuthError('the token endpoint answered without an access_token');
  }
  let expiresAt = now + (Number(json.expires_in) > 0 ? Number(json.expires_in) * 1000 : 3600_000);
  const exp = decodeJwt(json.access_token)?.exp;
  if (Number.isFinite(exp)) expiresAt = Math.min(expiresAt, exp * 1000);
  return {
    accessToken: json.access_token,
    idToken: json.id_token || previous?.idToken || null,
    refreshToken: json.refresh_token || previous?.refreshToken || null,
    expiresAt,
  };
}

/**
 * What to do with the stored tokens now: 'valid' (use the access token), 'refresh' (it expires within
 * `skew` and there is a refresh token) or 'signin' (no tokens, or expired without a refresh token).
 */
export function tokenDecision(tokens, now, skew = REFRESH_SKEW_MS) {
  if (!tokens || !tokens.accessToken) return 'signin';
  if (now < tokens.expiresAt - skew) return 'valid';
  return tokens.refreshToken ? 'refresh' : 'signin';
}

/** Milliseconds until a refresh is due (0 when it is due already). */
export function refreshDelay(tokens, now, skew = REFRESH_SKEW_MS) {
  return Math.max(0, tokens.expiresAt - skew - now);
}

/** The name to show for an ID token payload (display only). */
export function displayName(claims) {
  if (!claims) return 'signed in';
  return claims.name || claims.email || claims['cognito:username'] || claims.sub || 'signed in';
}

// ------------------------------------------------------------------------------------------------ browser part

let config = null;
let refreshing = null; // the refresh in flight, shared by concurrent callers
let timer = null;

function load() {
  try { return JSON.parse(sessionStorage.getItem(TOKENS_KEY)); } catch { return null; }
}

function save(tokens) {
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  schedule(tokens);
}

function clear() {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKENS_KEY);
  sessionStorage.removeItem(PKCE_KEY);
}

function schedule(tokens) {
  clearTimeout(timer);
  if (!tokens?.refreshToken) return;
  timer = setTimeout(() => { refreshNow().catch(() => { /* the next API call signs in again */ }); },
    refreshDelay(tokens, Date.now()));
}

async function tokenRequest(grant, what) {
  let res;
  try {
    res = await fetch(`${authBase(config.authDomain)}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: tokenForm(config, grant),
    });
  } catch (e) {
    throw new AuthError(`${what} failed: cannot reach ${authBase(config.authDomain)} (${e.message})`);
  }
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!res.ok) {
    const why = json?.error ? `${json.error}${json.error_description ? ` — ${json.error_description}` : ''}` : text.slice(0, 200);
    throw new AuthError(`${what} failed: HTTP ${res.status}${why ? ` (${why})` : ''}`);
  }
  return json;
}

/** Sends the browser to the hosted UI (remembering the route to come back to). Never resolves. */
export async function signIn() {
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  location.assign(authorizeUrl(config, { state, challenge: await challengeOf(verifier) }));
  return new Promise(() => {});
}

/** Forgets the tokens and ends the hosted UI session. */
export function signOut() {
  clear();
  location.assign(logoutUrl(config));
}

/** Refreshes the tokens now (one request however many callers); resolves to the new access token. */
export function refreshNow() {
  if (!refreshing) {
    const old = load();
    refreshing = (async () => {
      if (!old?.refreshToken) throw new AuthError('no refresh token: sign in again');
      const json = await tokenRequest({ refreshToken: old.refreshToken }, 'Refreshing the sign-in');
      const tokens = tokensFrom(json, Date.now(), old);
      save(tokens);
      return tokens.accessToken;
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** A usable access token: refreshed when due; signs in again (redirect) when there is no way to refresh. */
export async function accessToken() {
  const tokens = load();
  const d = tokenDecision(tokens, Date.now());
  if (d === 'valid') return tokens.accessToken;
  if (d === 'refresh') {
    try { return await refreshNow(); } catch { /* fall through: sign in */ }
  }
  return signIn();
}

/** Who is signed in, from the ID token (display only). */
export function user() {
  const claims = decodeJwt(load()?.idToken);
  return { name: displayName(claims), sub: claims?.sub || 'me' };
}

/**
 * Starts AWS mode: finishes a sign-in coming back from the hosted UI (?code&state, or ?error), or uses the
 * stored tokens, or sends the browser to sign in. Resolves to {@link user} when signed in; throws an AuthError
 * to show when the sign-in failed (no automatic retry, so a failure cannot loop).
 */
export async function start(cfg) {
  config = cfg;
  const url = new URL(location.href);
  const p = url.searchParams;
  if (p.has('error') || p.has('code')) {
    const saved = (() => { try { return JSON.parse(sessionStorage.getItem(PKCE_KEY)); } catch { return null; } })();
    sessionStorage.removeItem(PKCE_KEY);
    const error = p.get('error');
    const description = p.get('error_description');
    const code = p.get('code');
    const state = p.get('state');
    // The address bar keeps neither the code nor the state; the route from before the sign-in comes back.
    history.replaceState(null, '', `${url.pathname}${url.hash || saved?.hash || ''}`);
    if (error) {
      const why = error === 'access_denied' ? 'access was denied (consent refused or sign-in cancelled)' : error;
      throw new AuthError(`Sign-in failed: ${why}${description ? ` — ${description}` : ''}.`);
    }
    if (!saved || !state || saved.state !== state) {
      throw new AuthError('Sign-in failed: the answer from the sign-in page does not match a sign-in started '
        + 'in this tab (state mismatch). Sign in again.');
    }
    const json = await tokenRequest({ code, verifier: saved.verifier }, 'Sign-in (token exchange)');
    save(tokensFrom(json, Date.now()));
  }
  const tokens = load();
  const d = tokenDecision(tokens, Date.now());
  if (d === 'refresh') {
    try { await refreshNow(); } catch { return signIn(); }
  } else if (d === 'signin') {
    return signIn();
  } else {
    schedule(tokens);
  }
  return user();
}
