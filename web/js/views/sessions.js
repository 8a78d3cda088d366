/** The current user's conversations, newest first. */
import { api } from '../api.js';
import { h, replace, errorBox, loading, pick, time } from '../dom.js';

export function sessionsView(root) {
  let alive = true;
  const body = h('div', { class: 'card' }, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Conversations')), body);
  api('/api/sessions').then((data) => {
    if (!alive) return;
    const items = Array.isArray(data) ? data : pick(data, 'items', 'sessions') || [];
    if (!items.length) {
      replace(body, h('p', { class: 'muted' }, 'No conversations yet. Open a workload and click “Ask an Agent”.'));
      return;
    }
    replace(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'sessions' },
      h('thead', {}, h('tr', {}, ['Workload', 'Title', 'Messages', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((s) => h('tr', {},
        h('td', {}, h('a', { href: `#/chat/${encodeURIComponent(s.id)}` }, pick(s, 'workload', 'subject') || s.id)),
        h('td', {}, pick(s, 'title', 'firstMessage', 'lastMessage') || ''),
        h('td', { class: 'num' }, String(pick(s, 'messageCount', 'messages') ?? '')),
        h('td', {}, time(pick(s, 'updated', 'updatedAt', 'created', 'createdAt')))))))));
  }).catch((e) => alive && replace(body, errorBox(e)));
  return { dispose() { alive = false; } };
}
