/** Page 2: one workload — status, findings (root cause first, with evidence), pods, recent events, Ask an Agent. */
import { api, seg } from '../api.js';
import { h, replace, badge, errorBox, loading, pick, time } from '../dom.js';
import { citationLink, linkCitations, renderMarkdown } from '../markdown.js';
import { lastSession, rememberSession } from '../sessions-store.js';

const SEVERITY = { critical: 0, high: 1, error: 1, warning: 2, medium: 2, low: 3, info: 4 };

export function workloadView(root, ns, name, kind) {
  let alive = true;
  const body = h('div', {}, loading());
  // the session's scope: ns/name, or ns/kind/name when the name alone finds another object (the server says which)
  let workload = `${ns}/${name}`;
  const ask = h('button', { type: 'button', class: 'primary', id: 'ask-agent' }, 'Ask an Agent');
  const askError = h('div');
  ask.addEventListener('click', async () => {
    ask.disabled = true;
    ask.textContent = 'Starting…';
    try {
      const s = await api('/api/sessions', { method: 'POST', body: { workload } });
      rememberSession(workload, s.id);
      location.hash = `#/chat/${encodeURIComponent(s.id)}`;
    } catch (e) {
      replace(askError, errorBox(e));
      ask.disabled = false;
      ask.textContent = 'Ask an Agent';
    }
  });
  const prev = lastSession(workload);
  replace(root,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/workloads' }, 'Workloads'), ' / ',
      h('a', { href: `#/workloads?ns=${encodeURIComponent(ns)}` }, ns), ' / ', name),
    h('div', { class: 'page-head' }, h('h1', {}, name, h('span', { class: 'muted ns' }, ` in ${ns}`)),
      h('div', { class: 'actions' },
        prev ? h('a', { href: `#/chat/${encodeURIComponent(prev)}`, class: 'button' }, 'Continue conversation') : null,
        ask)),
    askError, body);

  api(`/api/workloads/${seg(ns)}/${seg(name)}${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`).then((w) => {
    if (w && w.workload) workload = w.workload;
    if (alive) replace(body, render(w));
  }).catch((e) => alive && replace(body, errorBox(e)));
  return { dispose() { alive = false; } };
}

function render(w) {
  const ready = pick(w, 'ready', 'readyReplicas');
  const desired = pick(w, 'desired', 'replicas');
  const findings = [...(pick(w, 'findings') || [])].sort((a, b) => rank(a) - rank(b));
  const pods = pick(w, 'pods') || [];
  const events = pick(w, 'events', 'recentEvents') || [];
  const summary = pick(w, 'summary', 'headline', 'rollout');
  return [
    h('section', { class: 'card status-card', 'aria-label': 'Status' },
      h('div', { class: 'status-line' }, badge(w.status), h('span', {}, w.kind || 'Workload'),
        ready !== undefined ? h('span', {}, `${ready}/${desired ?? '?'} ready`) : null,
        w.image ? h('code', {}, w.image) : null),
      summary && typeof summary === 'string' ? h('p', {}, summary) : null),
    h('section', { class: 'card', 'aria-labelledby': 'h-findings' }, h('h2', { id: 'h-findings' }, `Findings (${findings.length})`),
      findings.length ? h('ol', { class: 'findings' }, findings.map(finding))
        : h('p', { class: 'muted' }, 'No findings: nothing looks wrong with this workload.')),
    h('section', { class: 'card', 'aria-labelledby': 'h-pods' }, h('h2', { id: 'h-pods' }, `Pods (${pods.length})`), podsTable(pods)),
    h('section', { class: 'card', 'aria-labelledby': 'h-events' }, h('h2', { id: 'h-events' }, `Recent events (${events.length})`),
      eventsTable(events)),
  ];
}

function rank(f) {
  const root = f.rootCause === true || f.role === 'root_cause' || f.role === 'ROOT_CAUSE' ? 0 : 1;
  return root * 10 + (SEVERITY[String(f.severity || '').toLowerCase()] ?? 5);
}

function finding(f) {
  const isRoot = rank(f) < 10;
  const evidence = pick(f, 'evidence', 'citations', 'refs') || [];
  const fix = pick(f, 'remediation', 'fix', 'recommendation');
  const fixes = Array.isArray(fix) ? fix : fix ? [fix] : [];
  const about = [f.kind, f.name].filter(Boolean).join(' ') + (f.container ? ` (container ${f.container})` : '');
  return h('li', { class: `finding${isRoot ? ' root' : ''}`, dataset: { category: f.category || '' } },
    h('div', { class: 'finding-head' },
      isRoot ? h('span', { class: 'chip chip-root' }, 'Root cause') : null,
      f.severity ? badge(String(f.severity).toLowerCase()) : null,
      f.category ? h('code', { class: 'category' }, f.category) : null,
      about ? h('span', { class: 'muted' }, about) : null),
    linkCitations(h('p', { class: 'finding-summary' }, pick(f, 'summary', 'title', 'message') || '')),
    f.causedBy ? h('p', { class: 'muted small' }, 'A symptom of another finding.') : null,
    evidence.length ? h('ul', { class: 'evidence-list', 'aria-label': 'Evidence' }, evidence.map((e) => {
      const ev = typeof e === 'string' ? { ref: e } : e;
      return h('li', {}, citationLink(ev.ref), ev.text ? h('q', {}, ev.text) : null);
    })) : null,
    fixes.length ? h('div', { class: 'fix' }, h('strong', {}, 'How to fix'),
      h('ul', {}, fixes.map((x) => h('li', { class: 'md' }, renderMarkdown(typeof x === 'string' ? x : JSON.stringify(x)))))) : null);
}

function podsTable(pods) {
  if (!pods.length) return h('p', { class: 'muted' }, 'No pods.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'pods' },
    h('thead', {}, h('tr', {}, ['Pod', 'Phase', 'Ready', 'Restarts', 'Status', 'Node'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, pods.map((p) => h('tr', {},
      h('td', {}, p.ref ? citationLink(p.ref, document, p.name) : h('code', {}, p.name)),
      h('td', {}, pick(p, 'phase') || ''),
      h('td', {}, String(pick(p, 'ready') ?? '')),
      h('td', { class: 'num' }, String(pick(p, 'restarts', 'restartCount') ?? '')),
      h('td', { class: /^(Running|Succeeded|Completed)$/.test(p.status || '') ? '' : 'bad' }, pick(p, 'status', 'reason') || ''),
      h('td', {}, pick(p, 'node', 'nodeName') || ''))))));
}

function eventsTable(events) {
  if (!events.length) return h('p', { class: 'muted' }, 'No recent events.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'events' },
    h('thead', {}, h('tr', {}, ['Type', 'Reason', 'Object', 'Message', 'Count', 'Last seen'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, events.map((e) => h('tr', { class: e.type === 'Warning' ? 'warn' : '' },
      h('td', {}, e.type || ''),
      h('td', {}, e.ref ? citationLink(e.ref, document, e.reason || e.ref) : (e.reason || '')),
      h('td', {}, h('code', {}, pick(e, 'object', 'involvedObject') || '')),
      h('td', { class: 'msg' }, e.message || ''),
      h('td', { class: 'num' }, String(pick(e, 'count') ?? '')),
      h('td', {}, time(pick(e, 'lastSeen', 'lastTimestamp', 'time'))))))));
}
