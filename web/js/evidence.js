/** The evidence side panel: shows what a citation refers to (log lines with context, an event, a field). */
import { api, query } from './api.js';
import { h, replace, errorBox, loading, pick } from './dom.js';

const panel = () => document.getElementById('evidence');
let opener = null;
let seq = 0;

export async function openEvidence(ref, from) {
  const el = panel();
  opener = from || null;
  el.hidden = false;
  document.body.classList.add('with-evidence');
  document.getElementById('evidence-ref').textContent = ref;
  const body = document.getElementById('evidence-body');
  replace(body, loading());
  el.querySelector('#evidence-close').focus();
  const mine = ++seq;
  try {
    const ev = await api(`/api/evidence${query({ ref })}`);
    if (mine !== seq) return;
    replace(body, renderEvidence(ev));
    const target = body.querySelector('.ev-line.target');
    // Scroll the panel only (scrollIntoView would also scroll the page behind it).
    if (target) body.scrollTop = Math.max(0, target.offsetTop - body.clientHeight / 2);
  } catch (e) {
    if (mine === seq) replace(body, errorBox(e));
  }
}

export function closeEvidence() {
  const el = panel();
  if (el.hidden) return;
  el.hidden = true;
  document.body.classList.remove('with-evidence');
  if (opener && opener.isConnected) opener.focus();
  opener = null;
}

/** Renders the evidence JSON whatever its exact shape: lines, text, an object, or a plain string. */
export function renderEvidence(ev) {
  if (ev === null || ev === undefined) return h('p', { class: 'muted' }, 'No content.');
  if (typeof ev === 'string') return h('pre', { class: 'ev-text' }, ev);
  const out = [];
  const kind = pick(ev, 'kind', 'type', 'source');
  const objectLabel = typeof ev.object === 'string' ? ev.object : undefined;
  const title = pick(ev, 'title', 'label', 'description') || objectLabel || ev.file;
  if (kind || title) out.push(h('p', { class: 'ev-meta' }, kind ? h('span', { class: 'chip' }, kind) : null, ' ', title || ''));
  const lines = pick(ev, 'lines', 'context');
  if (Array.isArray(lines) && lines.length) {
    const target = pick(ev, 'line', 'lineNumber', 'number');
    out.push(h('ol', { class: 'ev-lines', 'aria-label': 'Log lines' }, lines.map((l) => {
      const o = typeof l === 'string' ? { text: l } : l;
      const n = pick(o, 'number', 'line', 'lineNumber');
      const isTarget = o.target === true || o.match === true || o.highlight === true || (n !== undefined && n === target);
      return h('li', { class: `ev-line${isTarget ? ' target' : ''}`, 'aria-current': isTarget ? 'true' : null },
        h('span', { class: 'ln' }, n ?? ''), h('span', { class: 'lt' }, pick(o, 'text', 'content') ?? ''));
    })));
  }
  const text = pick(ev, 'text', 'content', 'value');
  if (text !== undefined && !(Array.isArray(lines) && lines.length)) {
    out.push(h('pre', { class: 'ev-text' }, typeof text === 'string' ? text : JSON.stringify(text, null, 2)));
  }
  if (ev.kind === 'field' && ev.resolved && ev.exact === false) {
    out.push(h('p', { class: 'muted small' }, `Showing ${ev.resolved}: the rest of the path (${ev.path}) is not in the file.`));
  }
  const obj = objectLabel ? undefined : pick(ev, 'object', 'event', 'json');
  if (obj !== undefined) out.push(h('pre', { class: 'ev-text' }, typeof obj === 'string' ? obj : JSON.stringify(obj, null, 2)));
  if (!out.length || (out.length === 1 && (kind || title))) {
    out.push(h('pre', { class: 'ev-text' }, JSON.stringify(ev, null, 2)));
  }
  return out;
}
