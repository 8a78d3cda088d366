/**
 * #/alerts: alert episodes (Alertmanager, CloudWatch alarms) and their investigations: open ones first, each with
 * its status, how many deliveries it had, what was decided (investigating, grouped, skipped by the cap), a link to the
 * investigation run, and where its findings were delivered. Polls every 3 s while any episode is open.
 */
import { api, seg } from '../api.js';
import { h, replace, errorBox, loading, badge, time } from '../dom.js';

export function alertsView(root, params) {
  let alive = true;
  let timer = null;
  const body = h('div', { class: 'card' }, loading());
  const detail = h('div', {});
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Alerts')), body, detail);

  async function load() {
    try {
      const data = await api('/api/alerts');
      if (!alive) return;
      if (data.enabled === false) {
        replace(body, h('p', { class: 'muted' }, 'Alert intake is not configured here.'));
        return;
      }
      const items = (data.items || []).slice().sort((a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1));
      replace(body,
        h('p', { class: 'muted', id: 'webhook' }, data.webhook ? 'Alertmanager webhook: on (POST /api/alerts/alertmanager).'
          : 'Alertmanager webhook: off (set OPSAGENT_ALERT_TOKEN). ./opsagent alert FILE delivers one.'),
        items.length ? h('table', { class: 'table', id: 'alerts' },
          h('thead', {}, h('tr', {}, ['Alert', 'Workload', 'Status', 'Opened', 'Deliveries', 'Decision', 'Investigation', 'Findings']
            .map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, items.map((e) => h('tr', { dataset: { episode: e.id } },
            h('td', {}, h('a', { href: `#/alerts?episode=${encodeURIComponent(e.id)}` }, e.name)),
            h('td', {}, e.workload || '—'),
            h('td', {}, badge(e.status)),
            h('td', {}, time(e.openedAt)),
            h('td', { class: 'num' }, String(e.deliveries)),
            h('td', { class: 'decision' }, e.decision || ''),
            h('td', {}, e.runId ? h('a', { class: 'run-link', href: `#/runs?run=${encodeURIComponent(e.runId)}` }, e.runId) : '—'),
            h('td', { class: 'delivery muted' }, e.delivery || (e.runId && !e.groupedInto ? 'waiting for the findings' : '—'))))))
          : h('p', { class: 'muted', id: 'no-alerts' }, 'No alert has arrived yet.'));
      const want = params.get('episode');
      if (want) showEpisode(want);
      clearTimeout(timer);
      if (items.some((e) => e.status === 'open')) timer = setTimeout(load, 3000);
    } catch (err) {
      if (alive) replace(body, errorBox(err));
    }
  }

  async function showEpisode(id) {
    try {
      const e = await api(`/api/alerts/${seg(id)}`);
      if (!alive) return;
      replace(detail, h('section', { class: 'card', id: 'episode' },
        h('h2', {}, `${e.name} `, badge(e.status)),
        h('p', {}, e.summary || ''),
        // the investigation as a Step Functions execution (statemachines/investigation.asl.json), where one runs
        e.execution ? h('p', { id: 'execution' }, 'Investigation machine: ', badge(e.execution.status.toLowerCase()), ' ',
          (e.execution.states || []).map((s) => s.name + (s.attempts > 1 ? ` (${s.attempts} attempts)` : '')).join(' → '),
          e.execution.error ? ` — ${e.execution.error}` : '') : '',
        h('ul', {}, (e.alerts || []).map((a) => h('li', {}, `${a.status} · ${a.source} · started ${time(a.startsAt)}`,
          // the link comes from the alert's sender: only a web address is followed
          a.link && /^https?:\/\//i.test(a.link) ? [' · ', h('a', { href: a.link, rel: 'noopener noreferrer', target: '_blank' }, 'source')] : '')))));
    } catch (err) {
      if (alive) replace(detail, errorBox(err));
    }
  }

  load();
  return { dispose() { alive = false; clearTimeout(timer); } };
}
