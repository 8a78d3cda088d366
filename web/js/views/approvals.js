/**
 * Action proposals: the approval card (in the chat and on the Pending approvals page) and that page. A card shows
 * exactly what would change (the API server's dry-run diff), the pods it replaces, the risk with its reasons, the
 * cost, and the time left; Approve sends back the hash of the action shown, so only that action can be executed.
 * After a decision the card follows the proposal until it ends (executing → succeeded / failed / stale).
 */
import { api, seg, query } from '../api.js';
import { h, replace, errorBox, loading, badge, time } from '../dom.js';

const TERMINAL = new Set(['rejected', 'expired', 'succeeded', 'failed', 'stale']);

/** "4:59" from seconds. */
export function countdown(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The card of proposal `id`; it loads itself and keeps itself current while it is on the page. */
export function approvalCard(id) {
  const el = h('section', { class: 'card approval', 'aria-label': `Change proposal ${id}`, dataset: { proposal: id } },
    loading('Loading the proposal…'));
  let p = null;
  let deadline = 0;
  let timer = null;

  function stopWhenGone() {
    if (!el.isConnected && timer) { clearInterval(timer); timer = null; return true; }
    return false;
  }

  async function load() {
    try {
      p = await api(`/api/actions/${seg(id)}`);
      deadline = Date.now() + (p.expiresInSeconds || 0) * 1000;
      draw();
    } catch (e) {
      replace(el, errorBox(e));
    }
  }

  async function decide(approve) {
    const buttons = el.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    const reason = approve ? null : el.querySelector('.reject-reason').value.trim();
    try {
      const conditions = approve ? readConditions() : null;
      p = await api(`/api/actions/${seg(id)}/${approve ? 'approve' : 'reject'}`, {
        method: 'POST', body: approve ? (conditions ? { hash: p.hash, conditions } : { hash: p.hash }) : (reason ? { reason } : {}),
      });
      id = p.id; // narrowed: the approval went to a proposal of its own (its own hash); follow that one
      el.dataset.proposal = id;
      draw();
      follow();
    } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      const box = el.querySelector('.decision-error');
      replace(box, errorBox(e));
    }
  }

  /** The conditions the approver set (a narrowed value, an execution window), or null: approve as asked. */
  function readConditions() {
    const c = {};
    const replicas = el.querySelector('.narrow-replicas');
    if (replicas && replicas.value !== '') c.params = { replicas: Number(replicas.value) };
    const nb = el.querySelector('.not-before');
    const na = el.querySelector('.not-after');
    if (nb && nb.value) c.notBefore = new Date(nb.value).toISOString();
    if (na && na.value) c.notAfter = new Date(na.value).toISOString();
    return Object.keys(c).length ? c : null;
  }

  /** Polls until the proposal ends (the rollout is verified in the background). */
  function follow() {
    const poll = async () => {
      if (!el.isConnected || TERMINAL.has(p.status)) return;
      try { p = await api(`/api/actions/${seg(id)}`); draw(); } catch { /* next time */ }
      if (!TERMINAL.has(p.status)) setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  }

  function draw() {
    const pending = p.status === 'pending';
    const diff = (p.dryRun && p.dryRun.diff) || [];
    const risk = p.risk || {};
    const blast = p.blastRadius || {};
    replace(el,
      h('div', { class: 'approval-head' }, h('h3', {}, 'Change proposal'), badge(p.status), ' ', badge(risk.level || 'unknown'),
        h('span', { class: 'muted approval-id' }, ` ${p.id}`)),
      h('p', { class: 'approval-summary' }, h('code', {}, p.summary)),
      p.dryRun && p.dryRun.ok === false ? h('div', { class: 'error' }, `The API server refused its dry run: ${p.dryRun.error}`) : null,
      diff.length ? h('table', { class: 'table diff', 'aria-label': 'What changes' },
        h('thead', {}, h('tr', {}, ['Field', 'Before', 'After'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, diff.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.path)),
          h('td', { class: 'before' }, c.before ?? '(none)'), h('td', { class: 'after' }, c.after ?? '(none)'))))) : null,
      h('ul', { class: 'approval-facts' },
        h('li', {}, 'Risk: ', h('strong', {}, risk.level || '?'), ' — ', (risk.reasons || []).join('; '),
          risk.twoApprovers ? ' (needs two approvers)' : ''),
        (blast.podsRestarting || []).length ? h('li', {}, `Pods replaced: ${blast.podsRestarting.length} (${blast.podsRestarting.slice(0, 5).join(', ')}${blast.podsRestarting.length > 5 ? ', …' : ''})`) : null,
        blast.replicasBefore !== undefined && blast.replicasBefore !== null && blast.replicasAfter !== blast.replicasBefore
          ? h('li', {}, `Replicas: ${blast.replicasBefore} → ${blast.replicasAfter}`) : null,
        (blast.services || []).length ? h('li', {}, `Services: ${blast.services.join(', ')}`) : null,
        p.cost ? h('li', {}, `Cost: ${p.cost.text}`) : null,
        h('li', {}, `Requested by ${p.requester} at ${time(p.createdAt)}`),
        (p.approvals || []).length ? h('li', {}, `Approved by ${p.approvals.join(', ')} (${p.approvals.length} of ${p.approvalsNeeded})`) : null,
        p.execution ? h('li', {}, `Executed as ${p.execution.asUser}: ${p.execution.method} ${p.execution.path}`,
          p.execution.error ? ` — refused: ${p.execution.error}` : '') : null,
        p.verification ? h('li', { class: 'verification' }, `Verification: ${p.verification.outcome} — ${p.verification.rollout}`,
          (p.verification.newProblems || []).length ? ` — new problems: ${p.verification.newProblems.join('; ')}` : '') : null),
      h('p', { class: 'muted hash' }, 'Hash of the action: ', h('code', {}, p.hash)),
      pending ? h('div', { class: 'approval-actions' },
        h('span', { class: 'expiry', role: 'timer', 'aria-live': 'off' }, ''),
        p.mayApprove === false ? h('span', { class: 'muted why-not' }, `You cannot approve it: ${p.whyNot}.`)
          : h('button', { type: 'button', class: 'primary approve', onclick: () => decide(true) }, 'Approve'),
        p.mayApprove === false ? null : conditionsBox(p),
        h('input', { type: 'text', class: 'reject-reason', placeholder: 'Reason (optional)', 'aria-label': 'Reason for rejecting' }),
        h('button', { type: 'button', class: 'reject', onclick: () => decide(false) }, 'Reject')) : null,
      h('div', { class: 'decision-error' }),
      h('p', {}, h('a', { href: `#/audit?proposal=${encodeURIComponent(p.id)}` }, 'Audit records of this proposal')));
    tick();
    if (pending && !timer) timer = setInterval(tick, 1000);
    if (!pending && timer) { clearInterval(timer); timer = null; }
  }

  function tick() {
    if (stopWhenGone()) return;
    const span = el.querySelector('.expiry');
    if (!span) return;
    const left = (deadline - Date.now()) / 1000;
    replace(span, left > 0 ? `Expires in ${countdown(left)}` : 'Expired');
    if (left <= 0) el.querySelectorAll('.approval-actions button').forEach((b) => { b.disabled = true; });
  }

  load().then(() => { if (p && !TERMINAL.has(p.status) && p.status !== 'pending') follow(); });
  return el;
}

/**
 * Approve with conditions that only narrow the change: fewer replicas (a scale: between now and asked), and for a
 * change, an execution window. The server checks both; a narrowed value becomes a proposal with its own hash.
 */
function conditionsBox(p) {
  const kind = p.action && p.action.kind;
  const asked = p.action && p.action.params ? p.action.params.replicas : undefined;
  return h('details', { class: 'conditions' }, h('summary', {}, 'Conditions (optional, only narrowing)'),
    kind === 'scale' ? h('label', {}, 'Replicas ', h('input', { type: 'number', class: 'narrow-replicas', min: 0,
      placeholder: String(asked ?? ''), 'aria-label': 'Narrow the replicas to' })) : null,
    h('label', {}, ' Execute from ', h('input', { type: 'datetime-local', class: 'not-before', 'aria-label': 'Execute no earlier than' })),
    h('label', {}, ' until ', h('input', { type: 'datetime-local', class: 'not-after', 'aria-label': 'Execute no later than' })),
    h('span', { class: 'muted' }, ' (a window applies to changes)'));
}

/** #/approvals: the pending proposals the user may decide, and the latest decided ones. */
export function approvalsView(root) {
  let alive = true;
  const pendingBox = h('div', {}, loading());
  const recentBox = h('div', { class: 'card' }, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Pending approvals')), pendingBox,
    h('h2', {}, 'Recent proposals'), recentBox);
  Promise.all([api('/api/actions?status=pending'), api('/api/actions?limit=30')]).then(([pending, recent]) => {
    if (!alive) return;
    if (pending.enabled === false) {
      replace(pendingBox, h('p', { class: 'muted card' }, `No changes can be made here: ${pending.why}.`));
      replace(recentBox, h('p', { class: 'muted' }, 'None.'));
      return;
    }
    const items = pending.items || [];
    replace(pendingBox, items.length ? items.map((p) => approvalCard(p.id))
      : h('p', { class: 'muted card', id: 'no-pending' }, 'Nothing is waiting for a decision.'));
    const rows = (recent.items || []).filter((p) => p.status !== 'pending');
    replace(recentBox, rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'recent-proposals' },
      h('thead', {}, h('tr', {}, ['Proposal', 'Status', 'Risk', 'Change', 'Requested by', 'When'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((p) => h('tr', {},
        h('td', {}, h('a', { href: `#/audit?proposal=${encodeURIComponent(p.id)}` }, p.id)), h('td', {}, badge(p.status)),
        h('td', {}, badge(p.risk && p.risk.level)), h('td', {}, h('code', {}, p.summary)), h('td', {}, p.requester),
        h('td', {}, time(p.createdAt)))))))
      : h('p', { class: 'muted' }, 'None yet.'));
  }).catch((e) => alive && replace(pendingBox, errorBox(e)));
  return { dispose() { alive = false; } };
}

/** #/audit: the audit log, newest first, filtered; "Verify the chain" checks every record's hash. */
export function auditView(root, params) {
  let alive = true;
  const filters = { workload: params.get('workload') || '', user: params.get('user') || '', action: params.get('action') || '',
    proposal: params.get('proposal') || '' };
  const body = h('div', { class: 'card' }, loading());
  const verdict = h('div', { class: 'verdict', 'aria-live': 'polite' });
  const inputs = Object.keys(filters).map((k) => h('label', {}, `${k} `,
    h('input', { type: 'text', name: k, value: filters[k], placeholder: k === 'workload' ? 'shop/Deployment/web or shop/' : '' })));
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const q = {};
    for (const i of form.querySelectorAll('input')) q[i.name] = i.value.trim();
    location.hash = `#/audit${query(q)}`;
  } }, inputs, h('button', { type: 'submit' }, 'Filter'));
  const verify = h('button', { type: 'button', id: 'verify-audit', onclick: async () => {
    replace(verdict, loading('Verifying…'));
    try {
      const v = await api('/api/audit/verify');
      replace(verdict, h('p', { class: 'ok' }, `Intact: ${v.records} records, every hash chained to the one before.`));
    } catch (e) {
      replace(verdict, errorBox(e));
    }
  } }, 'Verify the chain');
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Audit'), verify), verdict, form, body);
  let next = null;
  const rows = h('tbody', {});
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true, onclick: () => page() }, 'Older records');
  async function page() {
    try {
      const data = await api(`/api/audit${query({ ...filters, cursor: next, limit: 50 })}`);
      if (!alive) return;
      if (!rows.isConnected) {
        replace(body, (data.items || []).length || next ? [h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'audit' },
          h('thead', {}, h('tr', {}, ['#', 'When', 'Record', 'Who', 'Proposal', 'Workload', 'Action', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
          rows)), more] : h('p', { class: 'muted', id: 'audit-empty' }, 'No audit records.'));
      }
      for (const r of data.items || []) {
        rows.append(h('tr', { dataset: { type: r.type } }, h('td', { class: 'num' }, String(r.seq)), h('td', {}, time(r.at)),
          h('td', {}, r.type), h('td', {}, r.actor || ''), h('td', {}, r.proposalId || ''), h('td', {}, r.workload || ''),
          h('td', {}, r.action || ''), h('td', {}, h('code', { class: 'detail' }, JSON.stringify(r.detail || {}).slice(0, 240)))));
      }
      next = data.next;
      more.hidden = !next;
    } catch (e) {
      if (alive) replace(body, errorBox(e));
    }
  }
  page();
  return { dispose() { alive = false; } };
}
