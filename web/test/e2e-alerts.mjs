// Alerts end to end, in real headless Chromium against the real product (demo cluster, offline analyst): Alertmanager's
// webhook with its bearer token starts an investigation, the Alerts page shows the episode and its investigation, the
// findings reach a local server that records what Slack's incoming webhook would receive, a duplicate starts nothing
// new, and the resolved delivery closes the episode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, WEB_DIR } from './browser.mjs';
import { startServer, freePort, REPO_ROOT } from './server.mjs';
import { until } from './cluster.mjs';

const SHOTS = join(WEB_DIR, 'test', 'screenshots');
const T = 30000;
const TOKEN = 'e2e-alert-token-5f1c';
let server; let browser; let page; let slack;
const slackGot = [];
const pageErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { slackGot.push(JSON.parse(body)); res.writeHead(200); res.end('ok'); });
  });
  await new Promise((r) => slack.listen(port, '127.0.0.1', r));
  server = await startServer({ env: { OPSAGENT_ALERT_TOKEN: TOKEN, OPSAGENT_SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/services/T0/B0/e2e` } });
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (slack) slack.close();
});

const sample = (name) => readFileSync(join(REPO_ROOT, 'events', 'alerts', name), 'utf8');
const deliver = (name, token = TOKEN) => fetch(`${server.url}/api/alerts/alertmanager`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: sample(name),
});

test('an Alertmanager delivery is investigated once, its findings reach Slack and the Alerts page, resolved closes it', async () => {
  assert.equal((await deliver('alertmanager-firing.json', 'wrong')).status, 401);
  const first = await (await deliver('alertmanager-firing.json')).json();
  assert.equal(first.investigated, 1);
  assert.equal((await (await deliver('alertmanager-firing.json')).json()).duplicates, 1);
  await page.goto(`${server.url}/#/alerts`);
  const row = page.locator('#alerts tbody tr').filter({ hasText: 'KubePodCrashLooping' });
  await row.waitFor();
  assert.match(await row.textContent(), /shop\/cart/);
  assert.match(await page.locator('#webhook').textContent(), /webhook: on/);
  await until('the findings to be delivered', async () => {
    await page.goto(`${server.url}/#/alerts`);
    await row.waitFor();
    return /delivered at/.test(await row.locator('.delivery').textContent());
  }, 60000);
  const msg = slackGot.find((m) => /investigated/.test(JSON.stringify(m)));
  assert.ok(msg, 'Slack got the findings');
  assert.match(msg.blocks[0].text.text, /KubePodCrashLooping on shop\/cart: investigated/);
  assert.match(msg.blocks[1].text.text, /REDIS_URL/);
  assert.doesNotMatch(JSON.stringify(slackGot), new RegExp(TOKEN));
  await shot('40-alerts');
  // the investigation is a run of dev's, source alert
  await row.locator('.run-link').click();
  await page.waitForURL(/#\/runs\?run=/);
  // (the filter form names every source and status: wait for the run itself)
  const runId = decodeURIComponent(page.url().split('run=')[1]);
  const runRow = page.locator(`tr[data-run-id="${runId}"]`);
  await until('the run to show', async () => (await runRow.count()) > 0
    && /Alert KubePodCrashLooping fired/.test(await runRow.textContent()), 30000);
  assert.match(await runRow.textContent(), /alert/);
  assert.match(await runRow.textContent(), /completed/);
  // resolved closes the episode
  assert.equal((await (await deliver('alertmanager-resolved.json')).json()).resolved, 1);
  await page.goto(`${server.url}/#/alerts`);
  await row.waitFor();
  await until('the episode to be resolved', async () => /resolved/.test(await row.textContent()), 10000);
  assert.deepEqual(pageErrors, [], `page errors: ${pageErrors.join('\n')}`);
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
