/**
 * #/changes: the change chain (validate → evidence → approval → execute → monitor → rollback), the way the Step
 * Functions console shows an execution: the graph of states with the current one highlighted, each state's input,
 * output, duration and error, live; the approval card inline while it waits; links to the proposal's audit records.
 * A form submits a change (a new image, replicas) for a workload; it runs through the chain like any other.
 */
import { api, seg } from '../api.js';
import { h, replace, errorBox, loading, badge, time, duration } from '../dom.js';
import { approvalCard } from './approvals.js';

/** The states of statemachines/change.asl.json in the order the console draws the main path, then the ends. */
export const GRAPH = [
  ['Validate', 'Gather evidence', 'Wait for approval', 'Wait for the approved window', 'Execute', 'Monitor',
    'Analysis result', 'Record intended state', 'Change succeeded'],
  ['Roll back', 'Rolled back'],
  ['Inconclusive', 'Monitor could not finish', 'Rollback failed', 'Escalate', 'Escalated'],
  ['Refused by policy', 'Rejected by the approver', 'Approval expired', 'Approval request lost', 'Stale',
    'Execution failed', 'Could not run', 'Record outcome', 'Change did not happen'],
];

/** The class of a state's box: current, succeeded, failed, or not visited. */
export function stateClass(name, execution) {
  if (!execution) return 'state';
  if (execution.currentState === name) return 'state state-current';
  const runs = (execution.states || []).filter((s) => s.name === name);
  if (!runs.length) return 'state state-idle';
  const last = runs[runs.length - 1];
  if (last.error && !last.output) return 'state state-failed';
  if (/^(Rolled back|Escalated|Change did not happen)$/.test(name)) return 'state state-failed';
  return 'state state-done';
}

/** What a state added to its input (its result at its ResultPath), as JSON text; the whole output if not JSON. */
export function stateResult(input, output) {
  if (!output) return '';
  try {
    const i = JSON.parse(input || '{}');
    const o = JSON.parse(output);
    if (!o || typeof o !== 'object' || Array.isArray(o)) return output;
    const added = {};
    for (const [k, v] of Object.entries(o)) if (JSON.stringify(i[k]) !== JSON.stringify(v)) added[k] = v;
    return Object.keys(added).length ? JSON.stringify(added) : '(passed its input on)';
  } catch {
    return output;
  }
}

/** #/changes: the form and the list. */
export function changesView(root) {
  let alive = true;
  const list = h('div', { class: 'card' }, loading());
  const out = h('div', { class: 'submit-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'filters', id: 'change-form', onsubmit: submit },
    h('label', {}, 'Namespace ', h('input', { name: 'namespace', required: true, size: 12 })),
    h('label', {}, 'Deployment ', h('input', { name: 'name', required: true, size: 14 })),
    h('label', {}, 'Change ', h('select', { name: 'kind' }, h('option', { value: 'set-image' }, 'new image'),
      h('option', { value: 'scale' }, 'replicas'))),
    h('label', {}, 'Container ', h('input', { name: 'container', size: 10, placeholder: 'for a new image' })),
    h('label', {}, 'Value ', h('input', { name: 'value', required: true, size: 28, placeholder: 'nginx:1.27 or 3' })),
    h('button', { type: 'submit', class: 'primary' }, 'Submit the change'));
  const driftBox = h('div', { class: 'card', id: 'drift' }, loading());
  const driftOut = h('div', { class: 'drift-result', 'aria-live': 'polite' });
  const checkButton = h('button', { type: 'button', id: 'check-drift', onclick: async () => {
    checkButton.disabled = true;
    try {
      const r = await api('/api/drift/check', { method: 'POST', body: {} });
      replace(driftOut, h('p', { class: 'muted' }, `Drift check ${r.check} started.`));
    } catch (err) {
      replace(driftOut, errorBox(err));
    } finally {
      checkButton.disabled = false;
    }
  } }, 'Check for drift now');
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Changes')),
    h('p', { class: 'muted' }, 'Each change is validated against policy, its evidence gathered, approved by someone, '
      + 'executed as that approver, monitored, and rolled back if its analysis fails.'), form, out, list,
    h('div', { class: 'page-head' }, h('h2', {}, 'Drift'), checkButton),
    h('p', { class: 'muted' }, 'What successful changes left is checked on a schedule; drift is restored within policy '
      + '(as the approver of the change that left it) or escalated as a proposal.'), driftOut, driftBox);

  async function loadDrift() {
    try {
      const d = await api('/api/drift');
      if (!alive) return;
      if (d.enabled === false) {
        replace(driftBox, h('p', { class: 'muted' }, 'Drift remediation is not running here.'));
        checkButton.hidden = true;
        return;
      }
      replace(driftBox,
        (d.intended || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'intended' },
          h('thead', {}, h('tr', {}, ['Intended state', 'Images', 'Replicas', 'Left by', 'Approved by'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, d.intended.map((i) => h('tr', {}, h('td', {}, `${i.namespace}/${i.kind}/${i.name}`),
            h('td', {}, Object.entries(i.images || {}).map(([c, img]) => `${c}=${img}`).join(', ') || (i.configHash ? 'ConfigMap content' : '')),
            h('td', { class: 'num' }, i.replicas ?? '—'), h('td', {}, h('a', { href: `#/changes/${encodeURIComponent(i.changeId)}` }, i.changeId)),
            h('td', {}, i.approver || '—')))))) : h('p', { class: 'muted' }, 'No intended state yet: a successful change records one.'),
        (d.recent || []).length ? h('ul', { id: 'drift-records' }, d.recent.map((x) => h('li', { dataset: { type: x.type } },
          h('strong', {}, x.type), ` ${time(x.at)} `, x.workload || '', ' — ',
          (x.detail && (x.detail.why || x.detail.detail)) || (x.detail ? `${x.detail.drift ?? 0} drift found` : '')))) : null);
    } catch (err) {
      if (alive) replace(driftBox, errorBox(err));
    }
    if (alive) setTimeout(loadDrift, 3000);
  }
  loadDrift();

  async function submit(e) {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form).entries());
    const params = f.kind === 'scale' ? { replicas: Number(f.value) } : { container: f.container, image: f.value.trim() };
    try {
      const c = await api('/api/changes', { method: 'POST', body: { kind: f.kind, namespace: f.namespace.trim(),
        targetKind: 'Deployment', name: f.name.trim(), params } });
      location.hash = `#/changes/${encodeURIComponent(c.id)}`;
    } catch (err) {
      replace(out, errorBox(err));
    }
  }

  async function load() {
    try {
      const data = await api('/api/changes?limit=50');
      if (!alive) return;
      if (data.enabled === false) {
        replace(list, h('p', { class: 'muted', id: 'changes-off' }, `No changes can run here: ${data.why}.`));
        form.hidden = true;
        return;
      }
      const items = data.items || [];
      replace(list, items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'changes' },
        h('thead', {}, h('tr', {}, ['Change', 'Status', 'What', 'Requested by', 'Approver', 'When'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map((c) => h('tr', { dataset: { change: c.id } },
          h('td', {}, h('a', { href: `#/changes/${encodeURIComponent(c.id)}` }, c.id)), h('td', {}, badge(c.status)),
          h('td', {}, h('code', {}, c.summary)), h('td', {}, c.requester), h('td', {}, c.approver || '—'),
          h('td', {}, time(c.createdAt)))))))
        : h('p', { class: 'muted', id: 'no-changes' }, 'No changes yet.'));
    } catch (err) {
      if (alive) replace(list, errorBox(err));
    }
    if (alive) setTimeout(load, 3000);
  }
  load();
  return { dispose() { alive = false; } };
}

/** #/changes/{id}: one change, live, drawn like the console. */
export function changeView(root, id) {
  let alive = true;
  let card = null; // the approval card, kept across redraws so its countdown and buttons stay
  const head = h('div', { class: 'page-head' }, h('h1', {}, `Change ${id}`));
  const body = h('div', {}, loading());
  replace(root, h('p', {}, h('a', { href: '#/changes' }, '← Changes')), head, body);

  function draw(c) {
    const x = c.execution;
    const graph = h('div', { class: 'sfn-graph', 'aria-label': 'State machine' }, GRAPH.map((row) =>
      h('div', { class: 'sfn-row' }, row.map((name) => h('div', { class: stateClass(name, x), dataset: { state: name } }, name)))));
    const states = x ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'states' },
      h('thead', {}, h('tr', {}, ['State', 'Type', 'Entered', 'Duration', 'Attempts', 'Output or error'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (x.states || []).map((s) => h('tr', { dataset: { state: s.name } }, h('td', {}, s.name), h('td', {}, s.type),
        h('td', {}, time(s.enteredAt)), h('td', {}, s.exitedAt ? duration(s.durationMs) : 'running'),
        h('td', { class: 'num' }, s.attempts ? String(s.attempts) : ''),
        h('td', {}, s.error ? h('span', { class: 'state-error' }, `${s.error}${s.cause ? `: ${s.cause}` : ''}`) : '',
          s.output ? h('code', { class: 'detail' }, stateResult(s.input, s.output).slice(0, 300)) : '',
          h('details', {}, h('summary', {}, 'input'), h('code', { class: 'detail' }, (s.input || '').slice(0, 1000))))))))) : null;
    const ev = c.evidence || {};
    const facts = h('ul', { class: 'approval-facts' },
      h('li', {}, h('code', {}, c.summary), ` on ${c.target}`),
      h('li', { class: 'change-detail' }, c.detail || ''),
      c.asked ? h('li', { class: 'narrowed' }, 'Narrowed by its approver from ', h('code', {}, `${c.asked.kind} ${JSON.stringify(c.asked.params)}`)) : null,
      c.window ? h('li', { class: 'window' }, `Execution window: ${c.window.notBefore ? `from ${time(c.window.notBefore)}` : ''}${c.window.notAfter ? ` until ${time(c.window.notAfter)}` : ''}`) : null,
      (c.violations || []).length ? h('li', { class: 'violations' }, 'Policy: ', c.violations.join('; ')) : null,
      ev.risk ? h('li', {}, `Risk: ${ev.risk}${(ev.riskReasons || []).length ? ` — ${ev.riskReasons.join('; ')}` : ''}`) : null,
      (ev.health || []).length ? h('li', {}, `Health before: ${ev.health.join('; ')}`) : null,
      ev.lastChange ? h('li', {}, `Last change of this workload: ${ev.lastChange.summary} (${ev.lastChange.status})`) : null,
      ev.recentRuns ? h('li', { class: 'recent-runs' }, `Recent runs of ${c.requester} on this workload (7 days): `,
        ev.recentRuns.length ? ev.recentRuns.map((r, i) => [i ? ', ' : '', `${r.source} ${r.status} ${time(r.at)}`]) : 'none',
        ev.incidents ? ` — ${ev.incidents} incident${ev.incidents === 1 ? '' : 's'} (alert investigations)` : '') : null,
      ev.autoRollback !== undefined ? h('li', {}, ev.autoRollback ? 'If the analysis fails, it is rolled back at once, as the approver.'
        : 'If the analysis fails, a rollback is proposed for approval.') : null,
      c.monitor ? h('li', { class: 'monitor' }, `Analysis: ${c.monitor.result}`, (c.monitor.signals || []).length
        ? ` — ${c.monitor.signals.join('; ')}` : '') : null,
      h('li', {}, `Requested by ${c.requester} at ${time(c.createdAt)}`, c.approver ? `; approved by ${c.approver}` : ''),
      c.investigationRunId ? h('li', { class: 'investigation' }, h('a', { href: `#/runs?run=${encodeURIComponent(c.investigationRunId)}` },
        'The investigation of this failure'), ` (an agent run of ${c.requester})`) : null,
      c.proposalId ? h('li', {}, h('a', { href: `#/audit?proposal=${encodeURIComponent(c.proposalId)}` }, 'Audit records of its proposal'),
        c.rollbackProposalId ? [' · ', h('a', { href: `#/audit?proposal=${encodeURIComponent(c.rollbackProposalId)}` }, 'of its rollback')] : '') : null,
      x ? h('li', { class: 'muted' }, `Execution: ${x.status}${x.error ? ` (${x.error})` : ''}`) : null);
    replace(head, h('h1', {}, `Change ${c.id}`), ' ', badge(c.status));
    if (c.status === 'awaiting-approval' && c.proposalId && !card) card = approvalCard(c.proposalId);
    replace(body, h('div', { class: 'card' }, facts), card && c.status === 'awaiting-approval' ? card : null,
      h('h2', {}, 'Execution'), graph, states);
  }

  async function poll() {
    try {
      const c = await api(`/api/changes/${seg(id)}`);
      if (!alive) return;
      draw(c);
      if (!c.ended || (c.execution && c.execution.status === 'RUNNING')) setTimeout(poll, 1000);
    } catch (err) {
      if (alive) replace(body, errorBox(err));
    }
  }
  poll();
  return { dispose() { alive = false; } };
}
