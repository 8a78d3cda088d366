// Browser unit test: how an assistant message reacts to stream events, including error paths the offline
// analyst rarely produces (tool failure, error + final failed, cancelled, max_steps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, serveStatic } from '../browser.mjs';

let browser; let server; let page;

before(async () => {
  server = await serveStatic();
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.url}/blank`);
  await page.evaluate(async () => { window.chat = await import('/js/views/chat.js'); });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Feeds events to a fresh assistant message and returns a summary of its DOM. */
function play(events) {
  return page.evaluate((evs) => {
    const el = window.chat.assistantMessage({ text: '', done: false });
    document.body.replaceChildren(el);
    for (const e of evs) el.view.handle(e);
    el.view.done();
    return {
      runId: el.dataset.runId || null,
      answerHtml: el.querySelector('.answer').innerHTML,
      tools: [...el.querySelectorAll('.tool')].map((t) => ({ cls: t.className, text: t.textContent })),
      cites: [...el.querySelectorAll('a.cite')].map((a) => a.dataset.ref),
      errors: [...el.querySelectorAll('.error')].map((x) => x.textContent),
      notes: [...el.querySelectorAll('p.muted')].map((x) => x.textContent),
      busy: el.getAttribute('aria-busy'),
    };
  }, events);
}

test('deltas build markdown; tool start/end pair by call id; citations become links', async () => {
  const r = await play([
    { event: 'run', data: { runId: 'r1' } },
    { event: 'tool_start', data: { callId: 'c1', name: 'search_logs', args: { query: 'timeout' } } },
    { event: 'tool_start', data: { callId: 'c2', name: 'events', args: {} } },
    { event: 'tool_end', data: { callId: 'c2', name: 'events', summary: '3 warnings', error: false, durationMs: 12,
      citations: [{ ref: 'shop/events.json:items[2]', label: 'event' }] } },
    { event: 'tool_end', data: { callId: 'c1', name: 'search_logs', summary: '2 lines', error: false, durationMs: 30, citations: [] } },
    { event: 'delta', data: { text: '## Cause\n' } },
    { event: 'delta', data: { text: 'Timeouts at [shop/a-1/logs.txt:7]\n' } },
    { event: 'final', data: { runId: 'r1', status: 'completed', text: '## Cause\nTimeouts at [shop/a-1/logs.txt:7]\n' } },
  ]);
  assert.equal(r.runId, 'r1');
  assert.match(r.answerHtml, /<h2>Cause<\/h2>/);
  assert.deepEqual(r.cites, ['shop/events.json:items[2]', 'shop/a-1/logs.txt:7']);
  assert.equal(r.tools.length, 2);
  assert.match(r.tools[0].text, /search_logs\{"query":"timeout"\}done · 30 ms2 lines/);
  assert.match(r.tools[1].text, /events.*3 warnings/);
  assert.ok(r.tools.every((t) => /\bok\b/.test(t.cls)));
  assert.deepEqual(r.errors, []);
  assert.equal(r.busy, 'false');
});

test('a failed tool is marked failed with its error text', async () => {
  const r = await play([
    { event: 'tool_start', data: { callId: 'c1', name: 'describe', args: {} } },
    { event: 'tool_end', data: { callId: 'c1', name: 'describe', summary: 'no such pod', error: true, citations: [] } },
    { event: 'final', data: { status: 'completed', text: 'ok' } },
  ]);
  assert.match(r.tools[0].cls, /\bfailed\b/);
  assert.match(r.tools[0].text, /failed.*no such pod/);
});

test('error then final(failed) shows one clear error', async () => {
  const r = await play([
    { event: 'delta', data: { text: 'partial\n' } },
    { event: 'error', data: { message: 'the model timed out after 60 s' } },
    { event: 'final', data: { status: 'failed', text: null } },
  ]);
  assert.deepEqual(r.errors, ['the model timed out after 60 s']);
  assert.match(r.answerHtml, /partial/);
});

test('cancelled and max_steps endings are explained', async () => {
  const c = await play([{ event: 'final', data: { status: 'cancelled', text: null } }]);
  assert.deepEqual(c.errors, []);
  assert.ok(c.notes.some((n) => /cancelled/.test(n)), JSON.stringify(c));
  const m = await play([{ event: 'final', data: { status: 'max_steps', text: 'what I found so far' } }]);
  assert.deepEqual(m.errors, ['The run ended with status max steps.']);
  assert.match(m.answerHtml, /what I found so far/);
});

test('a tool left running when the stream ends is marked unfinished', async () => {
  const r = await play([{ event: 'tool_start', data: { callId: 'c1', name: 'logs', args: {} } }]);
  assert.match(r.tools[0].cls, /\bunfinished\b/);
});

test('model output with HTML is sanitized while streaming', async () => {
  const r = await play([
    { event: 'delta', data: { text: 'hi <img src=x onerror=alert(1)> <script>alert(2)</script>\n' } },
    { event: 'final', data: { status: 'completed', text: '' } },
  ]);
  assert.doesNotMatch(r.answerHtml, /<img|<script/);
  assert.match(r.answerHtml, /&lt;img/);
});
