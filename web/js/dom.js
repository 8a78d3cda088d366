/** Small DOM helpers. Text always goes in through textContent, never innerHTML. */

/**
 * Creates an element: h('a', {href: '#/x', class: 'link', onclick: fn}, 'text', child, ...).
 * Attributes starting with "on" become listeners; `null`/`false` attributes and children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A status badge: healthy|warning|critical and run statuses. */
export function badge(status) {
  const s = String(status || 'unknown').toLowerCase();
  return h('span', { class: `badge badge-${s.replace(/[^a-z_]/g, '')}` }, s.replace('_', ' '));
}

/** An error box with a readable message. */
export function errorBox(err) {
  const msg = err && err.message ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, msg);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, text);
}

/** "3.2 s", "850 ms", "2 m 5 s". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '—';
  ms = Number(ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60000);
  return `${m} m ${Math.round((ms % 60000) / 1000)} s`;
}

/** A readable local time for an ISO instant or epoch millis. */
export function time(t) {
  if (!t) return '—';
  const d = new Date(typeof t === 'number' ? t : String(t));
  if (Number.isNaN(d.getTime())) return String(t);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** First defined value among obj[k] for the keys given. */
export function pick(obj, ...keys) {
  if (!obj) return undefined;
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}
