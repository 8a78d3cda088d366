// Projects and roles in real headless Chromium against the real product (demo cluster): with a projects file, alice
// (a viewer of project shop) sees only shop's workloads, dev (an approver of shop and payments) sees both, and a
// workload of another project opened by its address is "Not found" for alice, as one that does not exist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage } from './browser.mjs';
import { startServer } from './server.mjs';

const T = 30000;
let server; let browser; let page;
const pageErrors = [];

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsagent-roles-'));
  const file = join(dir, 'projects.yaml');
  writeFileSync(file, [
    'projects:',
    '  - name: shop',
    '    namespaces: [shop]',
    '    users: {alice: viewer, dev: approver}',
    '  - name: payments',
    '    namespaces: [payments]',
    '    users: {dev: approver}',
    '',
  ].join('\n'));
  server = await startServer({ env: { OPSAGENT_PROJECTS_FILE: file } });
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function namespacesShown() {
  await page.goto(`${server.url}/#/workloads?t=${Date.now()}`);
  await page.waitForSelector('#workloads tbody tr[data-workload]');
  const rows = await page.$$eval('#workloads tbody tr[data-workload]', (trs) => trs.map((tr) => tr.dataset.workload.split('/')[0]));
  return [...new Set(rows)].sort();
}

test('a viewer and an approver of different projects see different clusters', async () => {
  await page.goto(`${server.url}/#/workloads`);
  await page.selectOption('#user', 'alice');
  assert.deepEqual(await namespacesShown(), ['shop']);
  const me = await (await fetch(`${server.url}/api/me`, { headers: { 'X-OpsAgent-User': 'alice' } })).json();
  assert.deepEqual(me.projects.map((p) => `${p.name}:${p.role}`), ['shop:viewer']);
  // another project's workload, opened by its address: not found, as if it did not exist
  await page.goto(`${server.url}/#/workloads/payments/ledger`);
  await page.waitForSelector('.error');
  assert.match(await page.textContent('.error'), /Not found|404/);

  await page.selectOption('#user', 'dev');
  assert.deepEqual(await namespacesShown(), ['payments', 'shop']);
  const dev = await (await fetch(`${server.url}/api/me`, { headers: { 'X-OpsAgent-User': 'dev' } })).json();
  assert.deepEqual(dev.projects.map((p) => `${p.name}:${p.role}`), ['shop:approver', 'payments:approver']);
});

test('no script errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
