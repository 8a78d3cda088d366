/** Remembers, per user and workload, the last chat session, so a conversation can be resumed. */
import { currentUser } from './api.js';

const key = (workload) => `opsagent.session.${currentUser()}.${workload}`;

export function lastSession(workload) {
  try { return localStorage.getItem(key(workload)); } catch { return null; }
}

export function rememberSession(workload, id) {
  try { localStorage.setItem(key(workload), id); } catch { /* storage disabled */ }
}

export function forgetSession(workload, id) {
  try { if (localStorage.getItem(key(workload)) === id) localStorage.removeItem(key(workload)); } catch { /* ignore */ }
}
