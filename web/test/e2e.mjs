// End-to-end test in real headless Chromium against the real product (`./opsagent up --in-memory`), no mocks:
// workload list → failing workload → Ask an Agent → streamed answer with citations → evidence panel →
// reload restores history → runs dashboard with the run's steps → another user cannot see them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, WEB_DIR } from './browser.mjs';
import { startServer } from './server.mjs';

const SHOTS = join(WEB_DIR, 'test', 'screenshots');
const QUESTION = 'why is it failing?';
const PREFERRED = ['shop/cart', 'payments/payment-gateway'];
const T = 30000; // per-step UI timeout

let server; let browser; let page;
const pageErrors = [];
const state = {};

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // a daily token budget per user: the Runs page shows the user theirs (the offline analyst spends none)
  server = await startServer({ env: { OPSAGENT_BUDGET_TOKENS_PER_DAY: '100000000' } });
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  try { await browser?.close(); } finally {
    if (server) {
      await server.stop();
      if (process.exitCode) console.error(`--- server log (tail) ---\n${server.log().slice(-4000)}`);
    }
  }
});

const shot = (name, fullPage = true) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

test('the workload list shows the demo workloads with status badges and a namespace filter', async () => {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#workloads tbody tr[data-workload]');
  const rows = await page.$$eval('#workloads tbody tr[data-workload]', (trs) => trs.map((tr) => ({
    workload: tr.dataset.workload, status: tr.querySelector('.badge').textContent.trim() })));
  assert.ok(rows.length >= 5, `expected the demo workloads, got ${rows.length}`);
  const critical = rows.filter((r) => r.status === 'critical').map((r) => r.workload);
  assert.ok(critical.length >= 1, `expected a failing workload, got ${JSON.stringify(rows)}`);
  state.workload = PREFERRED.find((w) => critical.includes(w)) || critical[0];
  await shot('01-workloads');

  const ns = state.workload.split('/')[0];
  await page.selectOption('#ns-filter', ns);
  const namespaces = await page.$$eval('#workloads tbody tr[data-workload]', (trs) => trs.map((tr) => tr.dataset.workload.split('/')[0]));
  assert.ok(namespaces.length >= 1 && namespaces.every((n) => n === ns), `filter by ${ns} kept ${namespaces}`);

  // A conversation about the whole namespace.
  await page.click('#ask-namespace');
  await page.waitForSelector('#chat-send:not([disabled])');
  assert.match(await page.textContent('h1'), new RegExp(`about ${ns}/\\*`));
  await page.goBack();
  await page.waitForSelector(`#workloads tr[data-workload="${state.workload}"]`);
});

test('a failing workload shows its status, root-cause finding with evidence, pods and events', async () => {
  await page.click(`#workloads tr[data-workload="${state.workload}"] a`);
  await page.waitForSelector('.findings .finding');
  // the link names the kind, so a Service or a CronJob's Job named like another object opens itself
  assert.match(page.url(), /\?kind=(Deployment|StatefulSet|DaemonSet|CronJob|Job|Pod)$/);
  assert.equal(await page.textContent('.status-card .badge'), 'critical');
  const first = page.locator('.findings .finding').first();
  assert.match(await first.getAttribute('class'), /\broot\b/, 'the first finding is the root cause');
  assert.ok(await first.locator('a.cite').count() >= 1, 'the root cause cites evidence');
  assert.ok(await page.locator('#pods tbody tr').count() >= 1, 'pods are listed');
  assert.ok(await page.locator('#events tbody tr').count() >= 1, 'recent events are listed');
  await shot('02-workload');
});

test('Ask an Agent streams an answer with tool activity and citations', async () => {
  await page.click('#ask-agent');
  await page.waitForURL(/#\/chat\//);
  await page.waitForSelector('#chat-send:not([disabled])');
  state.chatUrl = page.url();

  // Watch the conversation: every DOM mutation record, in order, up to the end of the stream (the message
  // loses its "streaming" class). Records keep their order even when the browser batches them.
  await page.evaluate(() => {
    window.trace = { answerUpdates: 0, toolsBeforeAnswer: 0, batchesWithText: 0, ended: false };
    const list = document.getElementById('messages');
    new MutationObserver((records) => {
      const t = window.trace;
      let grew = false;
      for (const r of records) {
        const el = r.target;
        if (t.ended || !el.classList) continue;
        if (r.type === 'attributes' && el.classList.contains('msg-assistant')
            && /\bstreaming\b/.test(r.oldValue || '') && !el.classList.contains('streaming')) t.ended = true;
        else if (r.type === 'childList' && el.classList.contains('answer') && r.addedNodes.length) { t.answerUpdates++; grew = true; }
        else if (r.type === 'childList' && el.classList.contains('tools') && r.addedNodes.length && t.answerUpdates === 0) t.toolsBeforeAnswer++;
      }
      if (grew) t.batchesWithText++;
    }).observe(list, { childList: true, subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['class'] });
  });
  await page.fill('#chat-input', QUESTION);
  await page.click('#chat-send');
  await page.waitForSelector('.msg-assistant .tool', { timeout: T });
  await shot('03-chat-streaming');
  await page.waitForSelector('.msg-assistant:not(.streaming)', { timeout: 120000 });

  const trace = await page.evaluate(() => window.trace);
  assert.ok(trace.ended, `the stream's end was seen: ${JSON.stringify(trace)}`);
  assert.ok(trace.answerUpdates >= 2, `the answer was updated at least twice while streaming: ${JSON.stringify(trace)}`);
  assert.ok(trace.toolsBeforeAnswer >= 1, `tool activity showed before the answer: ${JSON.stringify(trace)}`);
  console.log(`# streaming: ${trace.answerUpdates} answer updates in ${trace.batchesWithText} rendering batches`);

  const msg = page.locator('.msg-assistant').last();
  assert.equal(await msg.locator('.error').count(), 0, `the run failed: ${await msg.textContent()}`);
  const answer = await msg.locator('.answer').textContent();
  assert.ok(answer.trim().length > 40, `a real answer: ${answer}`);
  assert.ok(await msg.locator('.tool.ok').count() >= 1, 'finished tool calls are shown');
  assert.equal(await msg.locator('.tool.running').count(), 0, 'no tool left running');
  const cites = msg.locator('.answer a.cite');
  assert.ok(await cites.count() >= 1, `the answer cites evidence: ${answer}`);
  state.runId = await msg.getAttribute('data-run-id');
  assert.ok(state.runId, 'the message knows its run id');
  state.answer = answer;
  await shot('04-chat-answer');
});

test('a citation opens the referenced evidence in the side panel', async () => {
  const cite = page.locator('.msg-assistant .answer a.cite').first();
  const ref = await cite.getAttribute('data-ref');
  await cite.click();
  await page.waitForSelector('#evidence:not([hidden])');
  assert.equal(await page.textContent('#evidence-ref'), ref);
  await page.waitForSelector('#evidence-body .ev-lines, #evidence-body .ev-text, #evidence-body .error');
  assert.equal(await page.locator('#evidence-body .error').count(), 0,
    `evidence for ${ref} failed: ${await page.textContent('#evidence-body')}`);
  const body = await page.textContent('#evidence-body');
  assert.ok(body.trim().length > 0, 'the evidence has content');
  if (/:\d+$/.test(ref)) assert.equal(await page.locator('#evidence-body .ev-line.target').count(), 1, 'the cited line is marked');
  await shot('05-evidence', false); // the panel is fixed to the viewport
  await page.click('#evidence-close');
  assert.equal(await page.locator('#evidence').isHidden(), true);
});

test('reloading the page restores the conversation from the server', async () => {
  await page.reload();
  await page.waitForSelector('.msg-user');
  assert.equal((await page.textContent('.msg-user .bubble')).trim(), QUESTION);
  const restored = page.locator('.msg-assistant').last();
  await restored.locator('.answer a.cite').first().waitFor();
  assert.equal((await restored.locator('.answer').textContent()).trim(), state.answer.trim());
  assert.equal(await restored.getAttribute('data-run-id'), state.runId);
  // The restored answer's tool activity loads from the run's stored steps.
  await restored.locator('.past-tools summary').click();
  await restored.locator('.past-tools .tool.ok').first().waitFor();
  assert.match(await restored.locator('.past-tools').textContent(), /diagnose/);
  await shot('06-reloaded');
  await page.setViewportSize({ width: 390, height: 844 }); // a phone: the layout must still work
  await shot('08-phone-chat');
  await page.setViewportSize({ width: 1280, height: 860 });

  // The answer links to its run: the dashboard opens with that run's timeline expanded.
  await restored.locator('.run-link a').click();
  await page.locator(`tr[data-detail-for="${state.runId}"] .timeline .step`).first().waitFor();
  await page.goBack();
  await page.waitForSelector('.msg-user');
});

test('the conversations page lists the session', async () => {
  await page.click('nav a[data-nav="sessions"]');
  const link = page.locator(`#sessions a[href="${new URL(state.chatUrl).hash}"]`);
  await link.waitFor();
  assert.equal((await link.textContent()).trim(), state.workload);
});

test('the runs dashboard lists the run and expands its step-by-step timeline', async () => {
  await page.click('nav a[data-nav="runs"]');
  const row = page.locator(`#runs tr[data-run-id="${state.runId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'completed');
  assert.match(await row.textContent(), /chat/);
  await page.waitForSelector('#run-stats .stat');
  await row.click();
  const steps = page.locator(`tr[data-detail-for="${state.runId}"] .timeline .step`);
  await steps.first().waitFor();
  assert.ok(await steps.count() >= 2, 'the run has several steps');
  assert.ok(await page.locator(`tr[data-detail-for="${state.runId}"] .step-tool_call`).count() >= 1, 'tool calls are listed');
  await shot('07-runs');

  // Live updates: a run started elsewhere (here by the API, as another tab would) appears without a reload.
  const before = await page.locator('#runs tbody tr[data-run-id]').count();
  const headers = { 'Content-Type': 'application/json', 'X-OpsAgent-User': 'dev' };
  const s = await (await fetch(`${server.url}/api/sessions`, { method: 'POST', headers,
    body: JSON.stringify({ workload: state.workload }) })).json();
  const res = await fetch(`${server.url}/api/sessions/${s.id}/messages`, { method: 'POST', headers,
    body: JSON.stringify({ text: 'what changed?' }) });
  assert.match(await res.text(), /event: final/);
  await page.waitForFunction((n) => document.querySelectorAll('#runs tbody tr[data-run-id]').length > n, before,
    { timeout: 15000 });
  assert.ok(await page.locator(`tr[data-detail-for="${state.runId}"] .timeline .step`).count() >= 2,
    'the expanded run stays expanded across updates');

  await page.selectOption('#f-status', 'failed');
  await page.click('#run-filters button[type="submit"]');
  await page.waitForSelector('#runs tbody tr td.muted');
  assert.equal(await page.locator(`#runs tr[data-run-id="${state.runId}"]`).count(), 0, 'filtered out by status');

  // Pagination (one run per page here; there are two runs by now): Older, then Newer, shows different runs.
  await page.goto(`${server.url}/#/runs?limit=1`);
  await page.waitForSelector('#runs tbody tr[data-run-id]');
  const first = await page.getAttribute('#runs tbody tr[data-run-id]', 'data-run-id');
  await page.click('#page-next');
  await page.waitForFunction((id) => {
    const tr = document.querySelector('#runs tbody tr[data-run-id]');
    return tr && tr.dataset.runId !== id;
  }, first);
  assert.equal(await page.locator('#runs tbody tr[data-run-id]').count(), 1);
  await page.click('#page-prev');
  await page.waitForFunction((id) => document.querySelector('#runs tbody tr[data-run-id]')?.dataset.runId === id, first);
  assert.equal(await page.isDisabled('#page-prev'), true);
  await page.goto(`${server.url}/#/runs`);
  await page.waitForSelector('#runs tbody tr[data-run-id]');
  await page.waitForSelector('#budget .budget');
  // the local default project: dev administers every namespace; a user nobody declared sees nothing
  const me = await (await fetch(`${server.url}/api/me`, { headers: { 'X-OpsAgent-User': 'dev' } })).json();
  assert.deepEqual(me.projects.map((p) => `${p.name}:${p.role}`), ['default:admin']);
  const stranger = await (await fetch(`${server.url}/api/workloads`, { headers: { 'X-OpsAgent-User': 'mallory' } })).json();
  assert.equal(stranger.items.length, 0, 'a user in no project sees no workload');
  assert.match(await page.textContent('#budget'), /Budget today \(user:dev\): 0 of 100,000,000 tokens \(0%\); resets /);

  // A bad filter shows the server's validation message, naming the field.
  await page.selectOption('#f-status', '');
  await page.fill('#f-from', '2026-12-02T10:00');
  await page.fill('#f-to', '2026-12-01T10:00');
  await page.click('#run-filters button[type="submit"]');
  await page.waitForSelector('#runs-error .error, .card > div > .error');
  assert.match(await page.textContent('.card .error'), /HTTP 400.*from/);
  await page.click('#run-filters button:has-text("Clear")');
  await page.locator(`#runs tr[data-run-id="${state.runId}"]`).waitFor();
});

test('another dev user sees neither the conversation nor the run', async () => {
  await page.selectOption('#user', 'alice');
  await page.goto(state.chatUrl);
  await page.waitForSelector('#messages .error');
  assert.match(await page.textContent('#messages .error'), /Not found/);
  await page.goto(`${server.url}/#/runs`);
  await page.waitForSelector('#runs tbody tr');
  assert.equal(await page.locator(`#runs tr[data-run-id="${state.runId}"]`).count(), 0);
  await page.selectOption('#user', 'dev');
});

test('no script errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
