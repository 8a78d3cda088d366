/** Page 1: the workload list with status badges and a namespace filter. */
import { api } from '../api.js';
import { rememberSession } from '../sessions-store.js';
import { h, replace, badge, errorBox, loading, pick } from '../dom.js';

const ORDER = { critical: 0, warning: 1, healthy: 2 };

export function workloadsView(root, params) {
  let alive = true;
  const ns = params.get('ns') || '';
  const list = h('div', { class: 'card' }, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Workloads')), list);

  api('/api/workloads').then((data) => {
    if (!alive) return;
    const items = Array.isArray(data) ? data : pick(data, 'items', 'workloads') || [];
    const unreadable = (data && data.unreadable) || [];
    // what the cluster would not show this user (their RBAC): said, so an empty list is not taken for an empty cluster
    replace(list, unreadable.length
      ? h('p', { class: 'notice', id: 'unreadable', role: 'status' },
        `Not shown: the cluster would not let you read ${unreadable.join(', ')}.`)
      : null, render(items, ns));
  }).catch((e) => alive && replace(list, errorBox(e)));

  return { dispose() { alive = false; } };
}

function render(items, ns) {
  const namespaces = [...new Set(items.map((w) => w.namespace))].sort();
  const select = h('select', { id: 'ns-filter' },
    h('option', { value: '' }, `All namespaces (${items.length})`),
    namespaces.map((n) => h('option', { value: n, selected: n === ns }, n)));
  const search = h('input', { type: 'search', id: 'wl-search', placeholder: 'Filter by name…', 'aria-label': 'Filter by name' });
  const tbody = h('tbody');
  const counts = h('p', { class: 'muted', 'aria-live': 'polite' });

  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const rows = items
      .filter((w) => !select.value || w.namespace === select.value)
      .filter((w) => !q || `${w.namespace}/${w.name}`.toLowerCase().includes(q))
      .sort((a, b) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3)
        || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    replace(tbody, rows.length ? rows.map(row) : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No workloads match.')));
    const by = (s) => rows.filter((w) => w.status === s).length;
    counts.textContent = `${rows.length} workloads: ${by('critical')} critical, ${by('warning')} warning, ${by('healthy')} healthy`;
  };
  const askNs = h('button', { type: 'button', id: 'ask-namespace', hidden: !select.value }, 'Ask about this namespace');
  const askError = h('div');
  askNs.addEventListener('click', async () => {
    const workload = `${select.value}/*`;
    askNs.disabled = true;
    try {
      const s = await api('/api/sessions', { method: 'POST', body: { workload } });
      rememberSession(workload, s.id);
      location.hash = `#/chat/${encodeURIComponent(s.id)}`;
    } catch (e) {
      replace(askError, errorBox(e));
      askNs.disabled = false;
    }
  });
  select.addEventListener('change', () => {
    history.replaceState(null, '', select.value ? `#/workloads?ns=${encodeURIComponent(select.value)}` : '#/workloads');
    askNs.hidden = !select.value;
    draw();
  });
  search.addEventListener('input', draw);
  draw();
  return [
    h('div', { class: 'filters' }, h('label', {}, 'Namespace ', select), h('label', {}, 'Name ', search), askNs),
    askError,
    counts,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'workloads' },
      h('thead', {}, h('tr', {}, ['Status', 'Workload', 'Kind', 'Ready', 'Top finding'].map((c) => h('th', { scope: 'col', class: c === 'Ready' ? 'num' : null }, c)))),
      tbody)),
  ];
}

function row(w) {
  // the kind picks the object when names are shared (a Service named like its Deployment, a CronJob's Job)
  const href = `#/workloads/${encodeURIComponent(w.namespace)}/${encodeURIComponent(w.name)}`
    + (w.kind ? `?kind=${encodeURIComponent(w.kind)}` : '');
  const ready = pick(w, 'ready', 'readyReplicas');
  const desired = pick(w, 'desired', 'replicas');
  const top = pick(w, 'topFinding', 'finding');
  const topText = top && typeof top === 'object' ? pick(top, 'title', 'summary', 'category') : top;
  const tr = h('tr', { class: `clickable status-${w.status}`, dataset: { workload: `${w.namespace}/${w.name}` } },
    h('td', {}, badge(w.status)),
    h('td', {}, h('a', { href }, h('span', { class: 'muted' }, `${w.namespace}/`), w.name)),
    h('td', {}, w.kind || ''),
    h('td', { class: 'num' }, ready !== undefined ? `${ready}/${desired ?? '?'}` : '—'),
    h('td', { class: 'top-finding' }, topText || h('span', { class: 'muted' }, '—')));
  tr.addEventListener('click', (e) => { if (!e.target.closest('a')) location.hash = href; });
  return tr;
}
