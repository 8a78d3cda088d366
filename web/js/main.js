/**
 * Entry point: loads config.json (none: local mode with the dev-user switcher; present: AWS mode, signed in with
 * Cognito), then the hash router and the evidence side panel.
 */
import { USERS, currentUser, setUser, configureRemote } from './api.js';
import { loadConfig } from './config.js';
import * as auth from './auth.js';
import { h, replace } from './dom.js';
import { openEvidence, closeEvidence } from './evidence.js';
import { workloadsView } from './views/workloads.js';
import { workloadView } from './views/workload.js';
import { chatView } from './views/chat.js';
import { sessionsView } from './views/sessions.js';
import { runsView } from './views/runs.js';
import { approvalsView, auditView } from './views/approvals.js';
import { changesView, changeView } from './views/changes.js';
import { alertsView } from './views/alerts.js';
import { projectsView } from './views/projects.js';

const main = document.getElementById('main');
let current = null; // the active view's {dispose}

/** Parses "#/path/a/b?x=1" into {parts, params}. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q) };
}

function route() {
  if (location.hash.startsWith('#evidence=')) return; // citation links are handled by the click listener
  const { parts, params } = parseHash(location.hash);
  if (current && current.dispose) current.dispose();
  current = null;
  replace(main);
  const [top, ...rest] = parts;
  let section = top || 'workloads';
  if (section === 'workloads' && rest.length >= 2) current = workloadView(main, rest[0], rest[1], params.get('kind'));
  else if (section === 'workloads') current = workloadsView(main, params);
  else if (section === 'chat' && rest[0]) current = chatView(main, rest[0]);
  else if (section === 'sessions') current = sessionsView(main);
  else if (section === 'runs') current = runsView(main, params);
  else if (section === 'approvals') current = approvalsView(main);
  else if (section === 'changes' && rest[0]) current = changeView(main, rest[0]);
  else if (section === 'changes') current = changesView(main);
  else if (section === 'audit') current = auditView(main, params);
  else if (section === 'alerts') current = alertsView(main, params);
  else if (section === 'projects') current = projectsView(main);
  else {
    section = '';
    replace(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/workloads' }, 'Go to the workloads')));
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    const on = a.dataset.nav === section || (section === 'chat' && a.dataset.nav === 'sessions');
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function setupUser() {
  const select = document.getElementById('user');
  const users = USERS.includes(currentUser()) ? USERS : [...USERS, currentUser()];
  replace(select, users.map((u) => h('option', { value: u, selected: u === currentUser() }, u)));
  select.addEventListener('change', () => {
    setUser(select.value);
    closeEvidence();
    route();
  });
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a.cite');
  if (!a) return;
  e.preventDefault();
  openEvidence(a.dataset.ref, a);
});
document.getElementById('evidence-close').addEventListener('click', () => closeEvidence());
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeEvidence(); });

/** AWS mode: the signed-in user's name (from the ID token, display only) and Sign out replace the switcher. */
function setupAccount(who) {
  document.getElementById('user-switch').hidden = true;
  document.getElementById('account').hidden = false;
  document.getElementById('account-name').textContent = who.name;
  document.getElementById('sign-out').addEventListener('click', () => auth.signOut());
}

/** A start-up failure (config, sign-in) on screen, with a way out. */
function fatal(title, e, signInAgain) {
  replace(main, h('h1', {}, title), h('div', { class: 'error', role: 'alert', id: 'startup-error' }, e.message),
    signInAgain ? h('p', {}, h('button', { type: 'button', id: 'sign-in', onclick: () => auth.signIn() }, 'Sign in again')) : null);
}

function startRouter() {
  window.addEventListener('hashchange', route);
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/workloads');
  route();
}

async function boot() {
  let config;
  try {
    config = await loadConfig();
  } catch (e) {
    fatal('OpsAgent is not configured', e, false);
    return;
  }
  if (!config) { // local mode: `./opsagent up`
    setupUser();
    startRouter();
    return;
  }
  document.getElementById('user-switch').hidden = true;
  let who;
  try {
    who = await auth.start(config);
  } catch (e) {
    fatal('Sign-in failed', e, true);
    return;
  }
  configureRemote({ apiUrl: config.apiUrl, chatUrl: config.chatUrl, auth, user: who });
  setupAccount(who);
  startRouter();
}

boot();
