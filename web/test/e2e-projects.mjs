// The Projects page in real headless Chromium against the real product (demo cluster, the local default project
// seeded in DynamoDB Local): dev, an admin, makes a project of namespace shop and adds vera as a viewer; vera then
// sees that project (without its members) and shop's workloads only; a bad name is refused with the server's words;
// once dev removes her, vera is a member of nothing and sees no workload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage } from './browser.mjs';
import { startServer } from './server.mjs';

const T = 30000;
let server; let browser; let page;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function as(user, hash) {
  await page.goto(`${server.url}/#/workloads`);
  await page.evaluate((u) => localStorage.setItem('opsagent.user', u), user);
  await page.goto(`${server.url}/${hash.replace('#', `?t=${Date.now()}#`)}`);
}

async function namespacesShown() {
  await page.waitForSelector('#workloads tbody tr[data-workload], .muted');
  const rows = await page.$$eval('#workloads tbody tr[data-workload]', (trs) => trs.map((tr) => tr.dataset.workload.split('/')[0]));
  return [...new Set(rows)].sort();
}

test('an admin makes a project and gives it a viewer, who then sees only its namespace', async () => {
  await as('dev', '#/projects');
  await page.waitForSelector('section.project[data-project="default"]');
  assert.match(await page.textContent('section.project[data-project="default"] h2'), /admin/);
  assert.ok(await page.$('section.project[data-project="default"] tr[data-member="user:alice"]'));

  // a bad name: the server's message, nothing made
  await page.fill('#new-project-name', 'Shop Team');
  await page.fill('#new-project-namespaces', 'shop');
  await page.click('#new-project button[type=submit]');
  await page.waitForSelector('#projects-status .error');
  assert.match(await page.textContent('#projects-status .error'), /name/);
  assert.equal(await page.inputValue('#new-project-name'), 'Shop Team'); // what was typed stays, to be mended

  await page.fill('#new-project-name', 'shop-team');
  await page.fill('#new-project-namespaces', 'shop');
  await page.click('#new-project button[type=submit]');
  await page.waitForSelector('section.project[data-project="shop-team"] tr[data-member="user:dev"]');
  const card = 'section.project[data-project="shop-team"]';
  await page.selectOption(`${card} .add-kind`, 'users');
  await page.fill(`${card} .add-name`, 'vera');
  await page.selectOption(`${card} .add-role`, 'viewer');
  await page.click(`${card} .add-member button[type=submit]`);
  await page.waitForSelector(`${card} tr[data-member="user:vera"]`);
  assert.match(await page.textContent('#projects-status'), /vera is now viewer in shop-team/);

  // a budget of the project's own: shown to its admin
  await page.fill(`${card} .budget-tokens`, '50000');
  await page.click(`${card} .project-budget button[type=submit]`);
  await page.waitForFunction((sel) => /50000 tokens.*used today: 0 of 50000 tokens/.test(document.querySelector(sel)?.textContent || ''), `${card} .budget-now`);

  await as('vera', '#/projects');
  await page.waitForSelector('section.project[data-project="shop-team"]');
  assert.equal(await page.$('section.project[data-project="shop-team"] .project-budget'), null);
  assert.match(await page.textContent('section.project[data-project="shop-team"]'), /viewer/);
  assert.equal(await page.$('section.project[data-project="shop-team"] table.members'), null); // members are the admins'
  assert.equal(await page.$('section.project[data-project="default"]'), null);
  assert.equal(await page.$('#new-project'), null); // she administers nothing
  await as('vera', '#/workloads');
  assert.deepEqual(await namespacesShown(), ['shop']);

  // vera asks about shop; dev, an admin of her project, reads her run on the Runs page (?user=vera)
  const headers = { 'X-OpsAgent-User': 'vera', 'Content-Type': 'application/json' };
  const session = await (await fetch(`${server.url}/api/sessions`, { method: 'POST', headers, body: JSON.stringify({ workload: 'shop/cart' }) })).json();
  const chat = await fetch(`${server.url}/api/sessions/${session.id}/messages`, { method: 'POST', headers, body: JSON.stringify({ text: 'why is cart failing?' }) });
  await chat.text();
  const veraRun = (await (await fetch(`${server.url}/api/runs`, { headers })).json()).items[0].id;
  await as('dev', '#/runs?user=vera');
  await page.waitForSelector(`tr[data-run-id="${veraRun}"]`);
  await page.click(`tr[data-run-id="${veraRun}"]`);
  await page.waitForSelector('.timeline, .steps, [class*=step]');
  await as('alice', '#/runs?user=vera'); // not an admin of vera's project: refused, nothing listed
  await page.waitForSelector('#main .error');
  assert.match(await page.textContent('#main .error'), /users see only their own runs/);
  assert.equal(await page.$(`tr[data-run-id="${veraRun}"]`), null);

  // dev widens the project to payments: vera sees both
  await as('dev', '#/projects');
  await page.waitForSelector(`${card} .project-namespaces`);
  await page.fill(`${card} .project-namespaces`, 'shop, payments');
  await page.click(`${card} .edit-namespaces button[type=submit]`);
  await page.waitForFunction(() => /namespaces of shop-team are now shop, payments/.test(document.querySelector('#projects-status')?.textContent || ''));
  await as('vera', '#/workloads');
  assert.deepEqual(await namespacesShown(), ['payments', 'shop']);

  await as('dev', '#/projects');
  await page.waitForSelector(`${card} tr[data-member="user:vera"]`);
  await page.click(`${card} button[aria-label="remove user vera"]`);
  await page.waitForFunction((sel) => !document.querySelector(sel), `${card} tr[data-member="user:vera"]`);
  await as('vera', '#/projects');
  await page.waitForSelector('#no-projects');
  await as('vera', '#/workloads');
  assert.deepEqual(await namespacesShown(), []);
});

test('no script errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
