/**
 * #/projects: the projects you are a member of, with your role in each. Their admins also see the members and may
 * change a member's role, add or remove members (users, or groups: Cognito's in AWS), make projects out of the
 * namespaces they administer, and delete projects. Every rule is the server's (/api/projects): a refusal is shown as
 * it says it; a project declared in the projects file is read-only here.
 */
import { api, seg } from '../api.js';
import { h, replace, errorBox, loading, badge, time } from '../dom.js';

const ROLES = ['viewer', 'operator', 'approver', 'admin'];

function roleSelect(value, attrs = {}) {
  return h('select', attrs, ROLES.map((r) => h('option', { value: r, selected: r === value }, r)));
}

export function projectsView(root) {
  let alive = true;
  const status = h('div', { id: 'projects-status', 'aria-live': 'polite' });
  const body = h('div', {}, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Projects')), status, body);

  /**
   * Runs a change, then shows what the server said and reloads. A refused form keeps what was typed (no reload);
   * a refused select or button reloads, so the page shows what is stored.
   */
  async function change(what, fn, { keepInput = false } = {}) {
    replace(status);
    try {
      await fn();
      replace(status, h('p', { class: 'muted', role: 'status' }, what));
    } catch (err) {
      replace(status, errorBox(err));
      if (keepInput) return;
    }
    await load();
  }

  function members(p) {
    const editable = p.source === 'store';
    const rows = [];
    for (const [kind, map] of [['user', p.users || {}], ['group', p.groups || {}]]) {
      for (const [name, role] of Object.entries(map)) {
        const path = `/api/projects/${seg(p.name)}/${kind}s/${seg(name)}`;
        rows.push(h('tr', { dataset: { member: `${kind}:${name}` } },
          h('td', {}, kind), h('td', {}, name),
          h('td', {}, editable ? roleSelect(role, {
            'aria-label': `role of ${kind} ${name}`,
            onchange: (e) => change(`${name} is now ${e.target.value} in ${p.name}.`,
              () => api(path, { method: 'PUT', body: { role: e.target.value } })),
          }) : role),
          h('td', {}, editable ? h('button', {
            type: 'button', class: 'secondary', 'aria-label': `remove ${kind} ${name}`,
            onclick: () => change(`${name} was removed from ${p.name}.`, () => api(path, { method: 'DELETE' })),
          }, 'Remove') : '')));
      }
    }
    const table = h('table', { class: 'table members' },
      h('thead', {}, h('tr', {}, ['Kind', 'Member', 'Role', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows));
    if (!editable) return [table, h('p', { class: 'muted' }, 'Declared in the projects file (OPSAGENT_PROJECTS_FILE): change it there.')];
    const kind = h('select', { 'aria-label': 'member kind', class: 'add-kind' }, h('option', { value: 'users' }, 'user'), h('option', { value: 'groups' }, 'group'));
    const name = h('input', { type: 'text', 'aria-label': 'member name', class: 'add-name', placeholder: 'name', required: true, maxlength: 128 });
    const role = roleSelect('viewer', { 'aria-label': 'member role', class: 'add-role' });
    const add = h('form', { class: 'add-member', onsubmit: (e) => {
      e.preventDefault();
      const who = name.value.trim();
      change(`${who} is now ${role.value} in ${p.name}.`,
        () => api(`/api/projects/${seg(p.name)}/${kind.value}/${seg(who)}`, { method: 'PUT', body: { role: role.value } }),
        { keepInput: true });
    } }, kind, ' ', name, ' ', role, ' ', h('button', { type: 'submit' }, 'Add member'));
    const del = h('button', { type: 'button', class: 'danger delete-project', onclick: () => {
      if (!confirm(`Delete project ${p.name}? Its members no longer see its namespaces through it.`)) return;
      change(`Project ${p.name} was deleted.`, () => api(`/api/projects/${seg(p.name)}?version=${p.version}`, { method: 'DELETE' }));
    } }, 'Delete project');
    return [table, add, namespacesForm(p), budgetForm(p), h('p', { class: 'muted' }, `Version ${p.version}`, p.updatedBy ? `, changed by ${p.updatedBy} ${time(p.updatedAt)}` : '', ' · ', del)];
  }

  /** The project's namespaces, changed on the version read (only namespaces the admin administers may be added). */
  function namespacesForm(p) {
    const input = h('input', { type: 'text', class: 'project-namespaces', 'aria-label': `namespaces of ${p.name}`,
      value: (p.namespaces || []).join(', '), required: true });
    return h('form', { class: 'edit-namespaces', onsubmit: (e) => {
      e.preventDefault();
      const body = { version: p.version, namespaces: input.value.split(',').map((x) => x.trim()).filter(Boolean),
        users: p.users || {}, groups: p.groups || {}, budget: p.budget || null };
      change(`The namespaces of ${p.name} are now ${body.namespaces.join(', ')}.`,
        () => api(`/api/projects/${seg(p.name)}`, { method: 'PUT', body }), { keepInput: true });
    } }, 'Namespaces: ', input, ' ', h('button', { type: 'submit' }, 'Save namespaces'));
  }

  let usage = {}; // project name -> its budget's use today (GET /api/budget, for the projects the caller administers)

  /** The project's own budget: it caps every model call in its namespaces, whoever asks. */
  function budgetForm(p) {
    const b = p.budget || {};
    const u = usage[p.name];
    const used = u ? [u.tokensPerDay ? `${u.tokensUsed} of ${u.tokensPerDay} tokens` : '', u.usdPerDay ? `$${u.usdUsed} of $${u.usdPerDay}` : '']
      .filter(Boolean).join(', ') : '';
    const tokens = h('input', { type: 'number', min: 0, step: 1, class: 'budget-tokens', 'aria-label': 'tokens per day', value: b.tokensPerDay || 0 });
    const usd = h('input', { type: 'number', min: 0, step: 0.01, class: 'budget-usd', 'aria-label': 'US dollars per day', value: b.usdPerDay || 0 });
    const path = `/api/projects/${seg(p.name)}/budget`;
    return h('form', { class: 'project-budget', onsubmit: (e) => {
      e.preventDefault();
      change(`The budget of ${p.name} is set.`, () => api(path, { method: 'PUT',
        body: { ...b, tokensPerDay: Number(tokens.value), usdPerDay: Number(usd.value) } }), { keepInput: true });
    } }, h('span', { class: 'budget-now' }, p.budget ? `Budget: ${b.tokensPerDay ? `${b.tokensPerDay} tokens` : 'no token limit'}, `
      + `${b.usdPerDay ? `$${b.usdPerDay}` : 'no cost limit'} a day${used ? `; used today: ${used}` : ''}` : 'No budget of its own.'), ' ',
    tokens, ' tokens ', usd, ' $ a day ', h('button', { type: 'submit' }, 'Set budget'),
    p.budget ? [' ', h('button', { type: 'button', class: 'secondary', onclick: () => change(`The budget of ${p.name} is removed.`,
      () => api(path, { method: 'DELETE' })) }, 'Remove budget')] : '');
  }

  function newProject(administers) {
    const name = h('input', { type: 'text', id: 'new-project-name', 'aria-label': 'project name', placeholder: 'team-a', required: true, maxlength: 63 });
    const ns = h('input', { type: 'text', id: 'new-project-namespaces', 'aria-label': 'namespaces', placeholder: 'team-a, team-a-*', required: true });
    return h('section', { class: 'card', id: 'new-project' },
      h('h2', {}, 'New project'),
      h('p', { class: 'muted' }, `Out of namespaces you administer: ${administers.join(', ')}. You become its admin.`),
      h('form', { onsubmit: (e) => {
        e.preventDefault();
        const body = { name: name.value.trim(), namespaces: ns.value.split(',').map((s) => s.trim()).filter(Boolean) };
        change(`Project ${body.name} was made.`, () => api('/api/projects', { method: 'POST', body }), { keepInput: true });
      } }, name, ' ', ns, ' ', h('button', { type: 'submit' }, 'Make project')));
  }

  async function load() {
    try {
      const data = await api('/api/projects');
      if (!alive) return;
      try {
        const b = await api('/api/budget');
        usage = Object.fromEntries((b.projects || []).map((x) => [x.project, x]));
      } catch { usage = {}; } // usage is a detail: the page works without it
      if (data.enabled === false) {
        replace(body, h('p', { class: 'muted' }, 'Projects are off here: everyone sees every namespace. ', data.why || ''));
        return;
      }
      const items = data.items || [];
      replace(body,
        items.length ? items.map((p) => h('section', { class: 'card project', dataset: { project: p.name } },
          h('h2', {}, `${p.name} `, badge(p.role)),
          h('p', {}, 'Namespaces: ', (p.namespaces || []).join(', ')),
          p.role === 'admin' ? members(p) : h('p', { class: 'muted' }, 'Its admins manage its members.')))
          : h('p', { class: 'muted', id: 'no-projects' }, 'You are a member of no project, so you see no namespace. A project admin can add you.'),
        (data.administers || []).length && data.writable !== false ? newProject(data.administers) : '');
    } catch (err) {
      if (alive) replace(body, errorBox(err));
    }
  }

  load();
  return { dispose() { alive = false; } };
}
