/**
 * Page 4: the runs dashboard — stats, filters (status, source, date range), a paginated table, and a
 * step-by-step timeline per run. While any visible run is running the page polls every 1.5 s (on the first page
 * every 5 s otherwise, so that new runs appear).
 */
import { api, query, seg } from '../api.js';
import { h, replace, badge, errorBox, loading, pick, duration, time } from '../dom.js';
import { renderMarkdown } from '../markdown.js';

const STATUSES = ['running', 'completed', 'failed', 'cancelled', 'max_steps', 'refused'];
const SOURCES = ['chat', 'cli', 'api', 'schedule', 'alert', 'change', 'remediation'];
const PAGE = 20;
const POLL_MS = 1500; // while a visible run is running
const IDLE_POLL_MS = 5000; // on the first page otherwise, so new runs show up

export function runsView(root, params) {
  let alive = true;
  let timer = null;
  const filters = {
    status: params.get('status') || '',
    source: params.get('source') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
    user: params.get('user') || '', // a project admin reads a member's runs (in the namespaces they administer)
  };
  const limit = Math.min(200, Math.max(1, Number(params.get('limit')) || PAGE));
  const cursors = ['']; // cursor of each page visited; the last is the current page
  let items = [];
  let next = null;
  const expanded = new Map(); // run id -> {row, detail, run}
  const wantOpen = params.get('run');

  const statsEl = h('div', { class: 'stats', id: 'run-stats', 'aria-label': 'Run statistics' });
  const budgetEl = h('p', { class: 'muted', id: 'budget' });
  const tbody = h('tbody');
  const tableBox = h('div', {});
  const pager = h('div', { class: 'pager' });
  const live = h('span', { class: 'live muted', 'aria-live': 'polite' });

  const status = h('select', { id: 'f-status', name: 'status' }, h('option', { value: '' }, 'Any'),
    STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s.replace('_', ' '))));
  const source = h('select', { id: 'f-source', name: 'source' }, h('option', { value: '' }, 'Any'),
    [...new Set([...SOURCES, filters.source].filter(Boolean))].map((s) => h('option', { value: s, selected: s === filters.source }, s)));
  const from = h('input', { type: 'datetime-local', id: 'f-from', name: 'from', value: toLocalInput(filters.from) });
  const to = h('input', { type: 'datetime-local', id: 'f-to', name: 'to', value: toLocalInput(filters.to) });
  const user = h('input', { type: 'text', id: 'f-user', name: 'user', value: filters.user, placeholder: 'you', size: 10,
    title: "a project admin may name a member: their runs in the namespaces you administer" });
  const form = h('form', { class: 'filters', id: 'run-filters' },
    h('label', {}, 'Status ', status), h('label', {}, 'Source ', source),
    h('label', {}, 'From ', from), h('label', {}, 'To ', to), h('label', {}, 'User ', user),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', onclick: () => { status.value = ''; source.value = ''; from.value = ''; to.value = ''; user.value = ''; form.requestSubmit(); } }, 'Clear'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filters.status = status.value;
    filters.source = source.value;
    filters.from = fromLocalInput(from.value);
    filters.to = fromLocalInput(to.value);
    filters.user = user.value.trim();
    history.replaceState(null, '', `#/runs${query({ ...filters, limit: limit === PAGE ? '' : limit })}`);
    cursors.length = 1;
    load();
  });

  replace(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Runs'), live),
    budgetEl,
    statsEl,
    h('div', { class: 'card' }, form, tableBox, pager));
  replace(tableBox, loading());

  async function load({ quiet = false } = {}) {
    const cursor = cursors[cursors.length - 1];
    try {
      const data = await api(`/api/runs${query({ ...filters, limit, cursor })}`);
      if (!alive) return;
      items = Array.isArray(data) ? data : pick(data, 'items', 'runs') || [];
      next = Array.isArray(data) ? null : pick(data, 'next', 'nextCursor', 'cursor') || null;
      drawTable();
      if (wantOpen && !quiet && !expanded.has(wantOpen)) {
        const row = tbody.querySelector(`tr[data-run-id="${CSS.escape(wantOpen)}"]`);
        if (row) toggle(wantOpen); else openStandalone(wantOpen);
      }
    } catch (e) {
      if (alive && !quiet) replace(tableBox, errorBox(e));
      if (alive && quiet) live.textContent = `Live update failed: ${e.message}`;
    }
    loadStats();
    loadBudget();
    schedule();
  }

  /** The user's own budgets today (GET /api/budget): nothing shown when there are none. */
  async function loadBudget() {
    try {
      const b = await api('/api/budget');
      if (!alive) return;
      replace(budgetEl, (b.budgets || []).map((x) => {
        const parts = [];
        if (x.tokensPerDay) parts.push(`${x.tokensUsed.toLocaleString()} of ${x.tokensPerDay.toLocaleString()} tokens (${x.tokensPercent}%)`);
        if (x.usdPerDay) parts.push(`$${x.usdUsed.toFixed(2)} of $${x.usdPerDay.toFixed(2)} (${x.usdPercent}%)`);
        if (x.requestsPerMinute) parts.push(`${x.requestsPerMinute} requests a minute`);
        return h('span', { class: 'budget' }, `Budget today (${x.scope}): ${parts.join(', ')}; resets ${time(x.resetsAt)}. `);
      }));
    } catch {
      // an older server without /api/budget: nothing to show
    }
  }

  async function loadStats() {
    try {
      // statistics are the caller's own (another's span namespaces the caller may not administer)
      const s = await api(`/api/runs/stats${query({ ...filters, user: '' })}`);
      if (alive) replace(statsEl, renderStats(s));
    } catch (e) {
      if (alive) replace(statsEl, errorBox(e));
    }
  }

  function drawTable() {
    replace(tbody, items.length ? items.map(row) : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No runs match these filters.')));
    if (!tbody.isConnected) {
      replace(tableBox, h('div', { class: 'table-wrap' }, h('table', { class: 'table runs', id: 'runs' },
        h('thead', {}, h('tr', {}, ['Status', 'Task', 'Steps', 'Duration', 'Source', 'User', 'Started']
          .map((c) => h('th', { scope: 'col', class: c === 'Steps' || c === 'Duration' ? 'num' : null }, c)))), tbody)));
    }
    // Expanded runs stay expanded (same timeline element, refreshed by the poller while running).
    for (const [id, entry] of [...expanded]) {
      const tr = tbody.querySelector(`tr[data-run-id="${CSS.escape(id)}"]`);
      if (!tr) { expanded.delete(id); continue; }
      tr.after(entry.detail);
      tr.setAttribute('aria-expanded', 'true');
    }
    const page = cursors.length;
    replace(pager,
      h('button', { type: 'button', id: 'page-prev', disabled: page === 1,
        onclick: () => { cursors.pop(); load(); } }, '← Newer'),
      h('span', { class: 'muted' }, `Page ${page}`),
      h('button', { type: 'button', id: 'page-next', disabled: !next,
        onclick: () => { cursors.push(next); load(); } }, 'Older →'));
  }

  function row(r) {
    const tr = h('tr', { class: 'clickable', tabindex: 0, 'aria-expanded': 'false', dataset: { runId: r.id, status: r.status } },
      h('td', {}, badge(r.status)),
      h('td', { class: 'task' }, pick(r, 'task', 'title') || '',
        r.workload ? h('div', { class: 'muted small' }, r.workload) : null,
        r.error ? h('div', { class: 'err-inline' }, r.error) : null),
      h('td', { class: 'num' }, String(pick(r, 'steps', 'stepCount') ?? '')),
      h('td', { class: 'num' }, r.status === 'running' ? elapsed(r.started) : duration(pick(r, 'durationMs', 'duration'))),
      h('td', {}, r.source || ''),
      h('td', {}, r.user || ''),
      h('td', {}, time(r.started)));
    tr.addEventListener('click', () => toggle(r.id));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(r.id); } });
    return tr;
  }

  function toggle(id) {
    const tr = tbody.querySelector(`tr[data-run-id="${CSS.escape(id)}"]`);
    if (!tr) return;
    if (expanded.has(id)) {
      expanded.get(id).detail.remove();
      expanded.delete(id);
      tr.setAttribute('aria-expanded', 'false');
      return;
    }
    const cell = h('td', { colspan: 7 }, loading('Loading steps…'));
    const detail = h('tr', { class: 'detail', dataset: { detailFor: id } }, cell);
    tr.after(detail);
    tr.setAttribute('aria-expanded', 'true');
    expanded.set(id, { detail, cell, run: null });
    loadDetail(id);
  }

  async function openStandalone(id) {
    // The run asked for in the URL is not on this page (filters or paging): show it above the table.
    const cell = h('div', { class: 'card' }, loading('Loading run…'));
    statsEl.after(cell);
    try {
      const run = await api(`/api/runs/${seg(id)}${query({ user: filters.user })}`);
      replace(cell, h('h2', {}, badge(run.status), ' ', run.task || id), timeline(run));
    } catch (e) { replace(cell, errorBox(e)); }
  }

  async function loadDetail(id) {
    const entry = expanded.get(id);
    if (!entry) return;
    try {
      const run = await api(`/api/runs/${seg(id)}${query({ user: filters.user })}`);
      if (!alive || expanded.get(id) !== entry) return;
      entry.run = run;
      replace(entry.cell, timeline(run));
    } catch (e) {
      if (alive && expanded.get(id) === entry) replace(entry.cell, errorBox(e));
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!alive) return;
    const running = items.some((r) => r.status === 'running')
      || [...expanded.values()].some((e) => e.run && e.run.status === 'running');
    live.textContent = running ? '● live — updating while runs are running' : '';
    if (running || cursors.length === 1) {
      timer = setTimeout(async () => {
        if (document.hidden && !running) { schedule(); return; }
        for (const [id, e] of expanded) if (!e.run || e.run.status === 'running') loadDetail(id);
        await load({ quiet: true });
      }, running ? POLL_MS : IDLE_POLL_MS);
    }
  }

  load();
  return { dispose() { alive = false; clearTimeout(timer); } };
}

/** Links to the change proposals a step made (a write tool's result names them): their audit records. */
export function proposalLinks(result) {
  const ids = [...new Set(String(result ?? '').match(/\bact-[0-9a-f]{12}\b/g) || [])];
  if (!ids.length) return null;
  return h('p', { class: 'step-proposals' }, 'Proposed: ', ids.map((id, i) => [i ? ', ' : '',
    h('a', { href: `#/audit?proposal=${encodeURIComponent(id)}` }, id)]));
}

/** The step-by-step timeline of one run. */
export function timeline(run) {
  const steps = pick(run, 'steps') || [];
  const list = Array.isArray(steps) ? steps : [];
  const meta = h('p', { class: 'run-meta muted' },
    `Run ${run.id}`, run.model ? ` · model ${run.model}` : '',
    tokens(run) ? ` · ${tokens(run)} tokens` : '',
    run.completed ? ` · completed ${time(run.completed)}` : '');
  if (!list.length) return [meta, h('p', { class: 'muted' }, run.status === 'running' ? 'No steps yet…' : 'This run has no steps.')];
  return [meta, run.error ? errorBox(run.error) : null, h('ol', { class: 'timeline', 'aria-label': `Steps of run ${run.id}` }, list.map(step))];
}

function step(s) {
  const type = s.type || 'step';
  const args = pick(s, 'args', 'arguments');
  const result = pick(s, 'result');
  const text = pick(s, 'text', 'thinking');
  return h('li', { class: `step step-${type}${s.error ? ' step-error' : ''}` },
    h('div', { class: 'step-head' },
      h('span', { class: 'step-no' }, `#${s.number ?? ''}`),
      h('span', { class: `chip chip-${type}` }, type.replace('_', ' ')),
      pick(s, 'toolName', 'tool') ? h('code', { class: 'step-tool' }, pick(s, 'toolName', 'tool')) : null,
      h('span', { class: 'muted' }, duration(s.durationMs)),
      h('span', { class: 'muted' }, time(s.started))),
    args !== undefined && args !== null && args !== '' ? details(type === 'model_turn' ? 'Tool calls requested' : 'Arguments',
      pretty(args), String(pretty(args)).length < 300) : null,
    result !== undefined && result !== null && result !== '' ? details('Result', pretty(result), String(pretty(result)).length < 400) : null,
    proposalLinks(result),
    text ? textBlock(type === 'response' ? 'Answer' : 'Text', text) : null,
    s.error ? errorBox(s.error) : null);
}

function tokens(run) {
  if (typeof run.tokens === 'number') return run.tokens.toLocaleString();
  const i = Number(run.inputTokens || 0);
  const o = Number(run.outputTokens || 0);
  return i + o ? `${i.toLocaleString()} in / ${o.toLocaleString()} out` : '';
}

function textBlock(label, text) {
  const body = h('div', { class: 'md step-text' }, renderMarkdown(text));
  if (text.length < 500) return body;
  const first = text.split('\n').find((l) => l.trim()) || '';
  return h('details', {}, h('summary', {}, `${label}: ${first.replace(/^#+\s*/, '').slice(0, 120)}…`), body);
}

function details(label, body, open) {
  return h('details', { open }, h('summary', {}, label), h('pre', { class: 'step-pre' }, body));
}

function pretty(v) {
  if (typeof v !== 'string') return JSON.stringify(v, null, 2);
  try { return JSON.stringify(JSON.parse(v), null, 2); } catch { return v; }
}

function renderStats(s) {
  if (!s || typeof s !== 'object') return [];
  const cards = [];
  const total = pick(s, 'total', 'count');
  if (total !== undefined) cards.push(stat('Runs', total));
  for (const [k, v] of Object.entries(s)) {
    if (k === 'total' || k === 'count') continue;
    if (typeof v === 'number') cards.push(stat(label(k), /ms$/i.test(k) ? duration(v) : v.toLocaleString()));
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v).filter(([, x]) => typeof x === 'number' || typeof x === 'string');
      if (!entries.length) continue;
      const isDur = /duration/i.test(k);
      cards.push(h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label(k)),
        h('div', { class: 'stat-list' }, entries.map(([ek, ev]) => h('span', { class: 'stat-pair' },
          /status/i.test(k) ? badge(ek) : h('span', { class: 'muted' }, ek), ' ',
          h('strong', {}, isDur && typeof ev === 'number' ? duration(ev) : String(ev)))))));
    }
  }
  return cards;
}

function stat(name, value) {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, name), h('div', { class: 'stat-value' }, String(value)));
}

const label = (k) => k.replace(/Ms$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function elapsed(started) {
  const t = new Date(started).getTime();
  return Number.isNaN(t) ? 'running' : `${duration(Date.now() - t)}…`;
}

/** ISO instant → value for <input type=datetime-local> (local time). */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** <input type=datetime-local> value → ISO instant for the API. */
function fromLocalInput(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
