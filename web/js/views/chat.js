/**
 * Page 3: the chat with an agent about one workload. Streams the answer (SSE over fetch), renders markdown
 * safely as deltas arrive, shows tool activity live, links evidence citations, and restores history on reload.
 */
import { approvalCard } from './approvals.js';
import { api, streamPost, seg } from '../api.js';
import { h, replace, errorBox, loading, pick, duration } from '../dom.js';
import { renderMarkdown, citationLink, linkCitations } from '../markdown.js';
import { rememberSession, forgetSession } from '../sessions-store.js';

const SUGGESTIONS = ['Why is it failing?', 'What changed?', 'Show me the errors', 'Search logs for timeout', 'How do I fix it?'];

export function chatView(root, sessionId) {
  let alive = true;
  let controller = null; // AbortController of the stream in flight
  let session = null;
  const messages = h('ol', { class: 'messages', id: 'messages', 'aria-label': 'Conversation' });
  const status = h('p', { class: 'sr-only', 'aria-live': 'polite', id: 'chat-status' });
  const input = h('textarea', { id: 'chat-input', rows: 2, placeholder: 'Ask about this workload… (Enter to send, Shift+Enter for a new line)',
    'aria-label': 'Your question', maxlength: 16000 });
  const send = h('button', { type: 'submit', class: 'primary', id: 'chat-send', disabled: true }, 'Send');
  const stop = h('button', { type: 'button', id: 'chat-stop', hidden: true }, 'Stop');
  const form = h('form', { class: 'composer', id: 'composer' }, input, h('div', { class: 'composer-actions' }, stop, send));
  const suggestions = h('div', { class: 'suggestions', 'aria-label': 'Suggested questions' });
  const title = h('h1', {}, 'Conversation');
  const head = h('div', { class: 'page-head' }, title);
  const top = h('div', {});
  replace(root, h('div', { class: 'chat' }, top, head, messages, suggestions, status, form));
  replace(messages, h('li', { class: 'loading' }, loading('Loading conversation…')));

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text && !controller) ask(text);
  });

  api(`/api/sessions/${seg(sessionId)}`).then((s) => {
    if (!alive) return;
    session = s;
    const workload = pick(s, 'workload', 'subject') || '';
    if (workload) rememberSession(workload, sessionId);
    replace(title, 'Ask an Agent', workload ? h('span', { class: 'muted ns' }, ` about ${workload}`) : null);
    replace(top, h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/workloads' }, 'Workloads'), ' / ',
      h('a', { href: workloadHref(workload) }, workload),
      ' / conversation'));
    head.append(h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'chat-new', onclick: () => newSession(workload) }, 'New conversation'),
      h('button', { type: 'button', class: 'danger', id: 'chat-delete', onclick: () => deleteSession(workload) }, 'Delete')));
    send.disabled = false;
    drawHistory(s);
    input.focus();
    scrollDown(true);
  }).catch((e) => {
    if (!alive) return;
    replace(messages, h('li', {}, errorBox(e)));
    if (e.status === 404) messages.append(h('li', {}, h('p', {}, 'This conversation does not exist or belongs to another user. ',
      h('a', { href: '#/workloads' }, 'Pick a workload'), ' to start one.')));
    form.hidden = true;
  });

  let pollTimer = null;
  function drawHistory(s) {
    const history = pick(s, 'messages', 'history') || [];
    replace(messages, history.map((m) => (m.role === 'user' ? userMessage(m.text)
      : assistantMessage({ text: m.text, runId: m.runId, done: true }))));
    drawSuggestions(history.length === 0);
    if (s.running && !controller) {
      // Reloaded while a run was going on: it goes on in the server; show it when it is stored.
      messages.append(h('li', { class: 'msg msg-assistant streaming', id: 'still-running' },
        h('div', { class: 'who' }, 'Agent'), h('p', { class: 'muted' }, 'Still working on the last question… this updates when the answer is stored.')));
      send.disabled = true;
      clearTimeout(pollTimer);
      pollTimer = setTimeout(async () => {
        try {
          const again = await api(`/api/sessions/${seg(sessionId)}`);
          if (alive) { send.disabled = !!again.running; drawHistory(again); scrollDown(false); }
        } catch (e) { if (alive) messages.append(h('li', {}, errorBox(e))); }
      }, 1500);
    }
  }

  function drawSuggestions(show) {
    replace(suggestions, show ? SUGGESTIONS.map((q) => h('button', { type: 'button', class: 'chip-button', onclick: () => ask(q) }, q)) : []);
  }

  async function newSession(workload) {
    try {
      const s = await api('/api/sessions', { method: 'POST', body: { workload } });
      rememberSession(workload, s.id);
      location.hash = `#/chat/${encodeURIComponent(s.id)}`;
    } catch (e) { messages.append(h('li', {}, errorBox(e))); }
  }

  async function deleteSession(workload) {
    if (!confirm('Delete this conversation? Its runs stay in the runs dashboard.')) return;
    try {
      await api(`/api/sessions/${seg(sessionId)}`, { method: 'DELETE' });
      forgetSession(workload, sessionId);
      location.hash = workload ? workloadHref(workload) : '#/sessions';
    } catch (e) { messages.append(h('li', {}, errorBox(e))); }
  }

  async function ask(text) {
    if (!session || controller) return;
    drawSuggestions(false);
    input.value = '';
    messages.append(userMessage(text));
    const reply = assistantMessage({ text: '', done: false });
    messages.append(reply);
    const view = reply.view;
    scrollDown(true);
    controller = new AbortController();
    send.disabled = true;
    stop.hidden = false;
    status.textContent = 'The agent is working…';
    stop.onclick = () => cancel(view);
    let finished = false;
    try {
      await streamPost(`/api/sessions/${seg(sessionId)}/messages`, { text }, (ev) => {
        if (!alive) return;
        if (ev.event === 'final' || ev.event === 'error') finished = true;
        view.handle(ev);
        scrollDown(false);
      }, controller.signal);
      if (!finished) view.fail('The answer stream ended before the agent finished. Reload to see what was stored.');
    } catch (e) {
      if (e.name === 'AbortError') view.fail('Stopped.');
      else view.fail(e.message);
    } finally {
      view.done();
      controller = null;
      send.disabled = false;
      stop.hidden = true;
      status.textContent = 'The answer is complete.';
      if (alive) input.focus();
    }
  }

  /** Asks the server to stop the run; the stream then ends with `final` status cancelled. */
  async function cancel(view) {
    stop.disabled = true;
    try {
      if (!view.runId) throw new Error('the run has not started yet');
      await api(`/api/runs/${seg(view.runId)}/cancel`, { method: 'POST' });
      status.textContent = 'Stopping at the next step…';
    } catch (e) {
      if (e.status !== 409) view.fail(`Could not cancel: ${e.message}`);
      if (controller && e.status !== 409) controller.abort();
    } finally {
      stop.disabled = false;
    }
  }

  function scrollDown(force) {
    const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
    if (force || nearBottom) window.scrollTo({ top: document.body.scrollHeight });
  }

  return {
    dispose() {
      alive = false;
      clearTimeout(pollTimer);
      if (controller) controller.abort();
    },
  };
}

/** The page of a session's subject: a workload, or a namespace's list for `ns/*` sessions. */
function workloadHref(workload) {
  const [ns, name] = workload.split('/');
  if (!name || name === '*') return `#/workloads?ns=${encodeURIComponent(ns)}`;
  return `#/workloads/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
}

function userMessage(text) {
  return h('li', { class: 'msg msg-user' }, h('div', { class: 'who' }, 'You'), h('div', { class: 'bubble' }, text));
}

/**
 * An assistant message: the tool activity list and the markdown answer, updated as events arrive.
 * Returns the <li> with a `view` property that handles stream events.
 */
export function assistantMessage({ text, runId, done }) {
  const tools = h('ol', { class: 'tools', 'aria-label': 'Tool activity' });
  const md = h('div', { class: 'md answer' });
  const errors = h('div', {});
  const runLink = h('span', { class: 'run-link' });
  const el = h('li', { class: `msg msg-assistant${done ? '' : ' streaming'}`, 'aria-busy': done ? 'false' : 'true' },
    h('div', { class: 'who' }, 'Agent', runLink), tools, md, errors);
  const state = { text: text || '', deltas: 0, pendingTools: [] };

  const view = {
    runId,
    handle(ev) {
      const d = ev.data || {};
      switch (ev.event) {
        case 'run': setRun(d.runId || d.id); break;
        case 'delta': state.text += d.text ?? (typeof d === 'string' ? d : ''); state.deltas++; draw(); break;
        case 'tool_start': toolStart(d); break;
        case 'tool_end': toolEnd(d); break;
        case 'final':
          if (d.runId) setRun(d.runId);
          // The final text is authoritative; redraw only when it differs from what the deltas built.
          if (typeof d.text === 'string' && d.text.length && d.text.trim() !== state.text.trim()) {
            state.text = d.text;
            draw();
          }
          if (d.status === 'cancelled') errors.append(h('p', { class: 'muted' }, 'Stopped: the run was cancelled.'));
          else if (d.status && d.status !== 'completed' && !state.failed) view.fail(`The run ended with status ${d.status.replace('_', ' ')}.`);
          break;
        case 'error': view.fail(d.message || (typeof d === 'string' ? d : 'The agent failed.')); break;
        default: break; // unknown events (usage, ping) are ignored
      }
    },
    fail(message) { state.failed = true; errors.append(errorBox(message)); },
    done() {
      el.classList.remove('streaming');
      el.setAttribute('aria-busy', 'false');
      for (const t of state.pendingTools) {
        t.classList.replace('running', 'unfinished');
        replace(t.querySelector('.tool-state'), 'did not finish');
      }
      if (!state.text && !errors.childElementCount && !tools.childElementCount) md.append(h('p', { class: 'muted' }, '(no answer)'));
    },
  };

  function setRun(id) {
    if (!id) return;
    view.runId = id;
    el.dataset.runId = id;
    replace(runLink, ' · ', h('a', { href: `#/runs?run=${encodeURIComponent(id)}`, class: 'muted' }, 'run details'));
  }

  function draw() {
    replace(md, renderMarkdown(state.text));
    md.dataset.renders = String(Number(md.dataset.renders || 0) + 1);
    el.dataset.deltas = String(state.deltas);
  }

  function toolStart(d) {
    const name = pick(d, 'name', 'tool') || 'tool';
    const args = pick(d, 'args', 'arguments');
    const argText = typeof args === 'string' ? args : JSON.stringify(args ?? {});
    const item = h('li', { class: 'tool running', dataset: { tool: name } },
      h('span', { class: 'tool-icon', 'aria-hidden': 'true' }), h('code', { class: 'tool-name' }, name),
      h('code', { class: 'tool-args' }, shorten(argText, 160)), h('span', { class: 'tool-state' }, 'running…'));
    if (d.callId) item.dataset.callId = d.callId;
    state.pendingTools.push(item);
    tools.append(item);
  }

  function toolEnd(d) {
    const name = pick(d, 'name', 'tool') || 'tool';
    let idx = state.pendingTools.findIndex((t) => (d.callId && t.dataset.callId === d.callId));
    if (idx < 0) idx = state.pendingTools.findIndex((t) => t.dataset.tool === name);
    let item;
    if (idx >= 0) [item] = state.pendingTools.splice(idx, 1);
    else { toolStart(d); item = state.pendingTools.pop(); }
    const failed = d.error === true || (typeof d.error === 'string' && d.error);
    item.classList.remove('running');
    item.classList.add(failed ? 'failed' : 'ok');
    const result = pick(d, 'result', 'summary') ?? (typeof d.error === 'string' ? d.error : '');
    const ms = pick(d, 'durationMs');
    replace(item.querySelector('.tool-state'), failed ? 'failed' : 'done', ms !== undefined ? ` · ${duration(ms)}` : '');
    const cites = (pick(d, 'citations') || []).map((c) => (typeof c === 'string' ? { ref: c } : c));
    item.append(h('div', { class: 'tool-result' }, shorten(typeof result === 'string' ? result : JSON.stringify(result), 300),
      cites.length ? h('span', { class: 'tool-cites' }, cites.slice(0, 6).map((c) => [' ', citationLink(c.ref, document)]),
        cites.length > 6 ? ` +${cites.length - 6} more` : '') : null));
    // a proposed change: its approval card, in the conversation
    if (!failed) for (const id of d.proposalIds || []) md.before(approvalCard(id));
  }

  if (runId) setRun(runId);
  if (state.text) draw();
  if (done && runId) tools.replaceWith(pastTools(runId));
  el.view = view;
  return Object.assign(el, { view });
}

/** For a restored message: its tool calls, loaded from the run's stored steps when opened. */
function pastTools(runId) {
  const list = h('ol', { class: 'tools' });
  const box = h('details', { class: 'past-tools' }, h('summary', {}, 'Tool activity'), list);
  let loaded = false;
  box.addEventListener('toggle', async () => {
    if (!box.open || loaded) return;
    loaded = true;
    replace(list, h('li', {}, loading('Loading steps…')));
    try {
      const r = await api(`/api/runs/${seg(runId)}/steps`);
      const calls = (pick(r, 'items', 'steps') || []).filter((s) => s.type === 'tool_call');
      replace(list, calls.length ? calls.map((s) => h('li', { class: `tool ${s.error ? 'failed' : 'ok'}` },
        h('span', { class: 'tool-icon', 'aria-hidden': 'true' }), h('code', { class: 'tool-name' }, pick(s, 'tool', 'toolName') || 'tool'),
        h('code', { class: 'tool-args' }, shorten(typeof s.args === 'string' ? s.args : JSON.stringify(s.args ?? {}), 160)),
        h('span', { class: 'tool-state' }, duration(s.durationMs)),
        linkCitations(h('div', { class: 'tool-result' }, shorten(s.error || s.result || '', 300)))))
        : h('li', { class: 'muted' }, 'No tool calls in this run.'));
    } catch (e) {
      loaded = false;
      replace(list, h('li', {}, errorBox(e)));
    }
  });
  return box;
}

function shorten(s, n) {
  s = String(s ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
