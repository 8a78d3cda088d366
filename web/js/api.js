/**
 * The JSON API client. Every request carries the chosen dev user in `X-OpsAgent-User`.
 * Errors become {@link ApiError}s with a message a person can read (the server's message when it sent one).
 */
import { SseParser } from './sse.js';

export const USERS = ['dev', 'alice', 'bob'];
const USER_KEY = 'opsagent.user';

export function currentUser() {
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

function headers(extra = {}) {
  return { 'X-OpsAgent-User': currentUser(), Accept: 'application/json', ...extra };
}

async function send(path, { method = 'GET', body, signal, accept } = {}) {
  const init = { method, signal, headers: headers(accept ? { Accept: accept } : {}) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `Cannot reach the OpsAgent server (${method} ${path}): ${e.message}`);
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
  const res = await send(path, { method: 'POST', body, signal, accept: 'text/event-stream' });
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
