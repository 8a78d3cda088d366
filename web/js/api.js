/**
 * The JSON API client. Local mode (`./opsagent up`, same origin): every request carries the chosen dev user in
 * `X-OpsAgent-User`. AWS mode ({@link configureRemote}): requests go to `apiUrl`, the chat stream to `chatUrl`, with
 * `Authorization: Bearer <access token>`; a 401 is retried once after a token refresh, else the user signs in again.
 * Errors become {@link ApiError}s with a message a person can read (the server's message when it sent one).
 */
import { SseParser } from './sse.js';

/** AWS mode: {apiUrl, chatUrl, auth: {accessToken(), refreshNow(), signIn()}, user: {name, sub}}; null locally. */
let remote = null;

/** Switches the client to AWS mode (see the module comment). */
export function configureRemote(r) {
  remote = r;
}

/** Joins a base URL and an absolute path ("https://x/" + "/api/a" → "https://x/api/a"). */
export function joinUrl(base, path) {
  return `${String(base).replace(/\/+$/, '')}/${String(path).replace(/^\/+/, '')}`;
}

/**
 * Where a call goes: the same-origin path locally; in AWS mode the chat stream (POST .../messages, sent by
 * {@link streamPost}) to `chatUrl` (the streaming Function URL) and everything else to `apiUrl`.
 */
export function requestUrl(r, path, { stream = false } = {}) {
  if (!r) return path;
  return joinUrl(stream ? r.chatUrl : r.apiUrl, path);
}

export const USERS = ['dev', 'alice', 'bob'];
const USER_KEY = 'opsagent.user';

export function currentUser() {
  if (remote) return remote.user?.sub || 'me';
  try { return localStorage.getItem(USER_KEY) || 'dev'; } catch { return 'dev'; }
}

export function setUser(user) {
  localStorage.setItem(USER_KEY, user);
}

/** An API call that failed; `status` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
  }
}

async function send(path, { method = 'GET', body, signal, accept, stream = false } = {}) {
  const url = requestUrl(remote, path, { stream });
  const attempt = async (token) => {
    const headers = { Accept: accept || 'application/json' };
    if (remote) headers.Authorization = `Bearer ${token}`;
    else headers['X-OpsAgent-User'] = currentUser();
    const init = { method, signal, headers };
    // every POST is JSON, even without a body: the server refuses other content types (no cross-site forms)
    if (body !== undefined || method === 'POST') {
      init.body = JSON.stringify(body === undefined ? {} : body);
      headers['Content-Type'] = 'application/json';
    }
    try {
      return await fetch(url, init);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, `Cannot reach the OpsAgent server (${method} ${url}): ${e.message}`);
    }
  };
  let res = await attempt(remote ? await remote.auth.accessToken() : null);
  if (res.status === 401 && remote) {
    // The token was refused (expired early, revoked): one refresh and one retry, else sign in again.
    let token = null;
    try { token = await remote.auth.refreshNow(); } catch { /* no refresh possible */ }
    if (token) res = await attempt(token);
    if (res.status === 401) {
      remote.auth.signIn();
      throw new ApiError(401, `Your sign-in is no longer accepted (${method} ${path}); signing in again…`);
    }
  }
  if (!res.ok) throw await errorOf(res, method, path);
  return res;
}

/** Reads the server's error body ({"error": ..., "message": ..., "field": ...}) into an ApiError. */
export async function errorOf(res, method, path) {
  let text = '';
  try { text = await res.text(); } catch { /* body unreadable */ }
  let message = '';
  let field;
  try {
    const j = JSON.parse(text);
    const e = j.error && typeof j.error === 'object' ? j.error : j;
    message = e.message || (typeof j.error === 'string' ? j.error : '') || '';
    field = e.field;
    if (field && message && !message.includes(field)) message = `${field}: ${message}`;
  } catch {
    message = text.trim().slice(0, 300);
  }
  const what = res.status === 404 ? 'Not found' : `HTTP ${res.status}`;
  return new ApiError(res.status, `${what}${message ? ` — ${message}` : ''} (${method} ${path})`, field);
}

/** GET/POST/DELETE returning parsed JSON (or null for an empty body). */
export async function api(path, opts) {
  const res = await send(path, opts);
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch {
    throw new ApiError(res.status, `The server answered ${path} with something that is not JSON`);
  }
}

/**
 * POSTs and reads the answer as Server-Sent Events with fetch + ReadableStream (EventSource cannot POST).
 * Resolves when the stream ends.
 */
export async function streamPost(path, body, onEvent, signal) {
  const res = await send(path, { method: 'POST', body, signal, accept: 'text/event-stream', stream: true });
  const type = res.headers.get('Content-Type') || '';
  if (!type.includes('text/event-stream')) {
    // A server may answer synchronously with JSON; surface it as one final event.
    const j = await res.json().catch(() => null);
    if (j) onEvent({ event: 'final', data: j });
    return;
  }
  const parser = new SseParser(onEvent);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}

/** Encodes path segments (namespace, name, ids). */
export const seg = (s) => encodeURIComponent(s);

/** Builds a query string from the non-empty entries of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
