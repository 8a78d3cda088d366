// The change chain in real headless Chromium against the real product on the real local Kubernetes cluster, with
// statemachines/change.asl.json running on LocalStack's Step Functions: dev submits a new image for a Deployment on
// the Changes page, sees it validated and its evidence gathered, alice approves it there, it executes as alice and
// its analysis passes; then dev submits an image whose pods crash (kwok reports CrashLoopBackOff for it), alice
// approves, the analysis fails and the change is rolled back — all on the Changes page, drawn like the console; then an
// edit made with the API by hand is found by a drift check started there and restored as the approver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, WEB_DIR } from './browser.mjs';
import { startServer, REPO_ROOT } from './server.mjs';
import { clusterEnv, cluster, kube, until } from './cluster.mjs';

const SHOTS = join(WEB_DIR, 'test', 'screenshots');
const T = 30000;
const NS = 'chg-ui';
const scenarios = join(clusterEnv.OPSAGENT_CLUSTER_DIR, 'kwok.d', 'scenarios.json');
let savedScenarios = null;
let startedCluster = false;
let server; let browser; let page;
const pageErrors = [];

async function kubePatchImage(img) {
  const res = await kube('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/web`,
    { spec: { template: { spec: { containers: [{ name: 'web', image: img }] } } } }, 'application/strategic-merge-patch+json');
  assert.equal(res.status, 200, JSON.stringify(res.json));
}

const image = async () => (await kube('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json.spec.template.spec.containers[0].image;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  try { cluster('status'); } catch { cluster('up', '--no-seed'); startedCluster = true; }
  await kube('DELETE', `/api/v1/namespaces/${NS}`);
  await until(`namespace ${NS} gone`, async () => (await kube('GET', `/api/v1/namespaces/${NS}`)).status === 404);
  // pods of the image web:broken crash, as a kubelet would report them (a kwok stage)
  const status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'ContainersReady', status: 'False' },
    { type: 'PodScheduled', status: 'True' }], containerStatuses: [{ name: 'web', image: 'web:broken', ready: false, restartCount: 3,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] };
  const stage = { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Stage', metadata: { name: `${NS}-broken` }, spec: {
    resourceRef: { apiGroup: 'v1', kind: 'Pod' }, selector: { matchExpressions: [
      { key: '.metadata.namespace', operator: 'In', values: [NS] },
      { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
      { key: '.status.phase', operator: 'In', values: ['Pending'] },
      { key: '.spec.containers.[] | select( .name == "web" ) | .image', operator: 'In', values: ['web:broken'] }] },
    weight: 1000, next: { statusTemplate: JSON.stringify(status),
      event: { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container web' } } } };
  savedScenarios = existsSync(scenarios) ? readFileSync(scenarios, 'utf8') : null;
  cluster('kwok', 'stop');
  try {
    mkdirSync(join(clusterEnv.OPSAGENT_CLUSTER_DIR, 'kwok.d'), { recursive: true });
    writeFileSync(scenarios, `${savedScenarios ? `${savedScenarios.trim()}\n---\n` : ''}${JSON.stringify(stage)}\n`);
  } finally {
    cluster('kwok', 'start');
  }
  assert.equal((await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
  for (const user of ['dev', 'alice']) {
    const r = await kube('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${user}-edit` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const d = await kube('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {
      metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1.0' }] } } } });
  assert.equal(d.status, 201, JSON.stringify(d.json));
  await until('web available', async () => ((await kube('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json.status || {}).availableReplicas === 2);
  server = await startServer({ args: ['--context', 'opsagent-local'], env: { ...clusterEnv, OPSAGENT_CHANGE_ANALYSIS_SECONDS: '3' } });
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  try { await browser?.close(); } finally {
    if (server) {
      await server.stop();
      if (process.exitCode) console.error(`--- server log (tail) ---\n${server.log().slice(-4000)}`);
    }
    await kube('DELETE', `/api/v1/namespaces/${NS}`).catch(() => {});
    try {
      cluster('kwok', 'stop');
      if (savedScenarios === null) rmSync(scenarios, { force: true }); else writeFileSync(scenarios, savedScenarios);
    } finally {
      cluster('kwok', 'start');
    }
    if (startedCluster) cluster('down');
  }
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function submit(value) {
  await page.goto(`${server.url}/#/changes`);
  await page.selectOption('#user', 'dev');
  await page.waitForSelector('#change-form');
  await page.fill('#change-form input[name=namespace]', NS);
  await page.fill('#change-form input[name=name]', 'web');
  await page.fill('#change-form input[name=container]', 'web');
  await page.fill('#change-form input[name=value]', value);
  await page.click('#change-form button[type=submit]');
  await page.waitForURL(/#\/changes\/chg-/);
  const id = decodeURIComponent(page.url().split('#/changes/')[1]);
  // validated, evidence gathered, waiting for an approver: the graph highlights the state it is in
  await page.waitForSelector('.sfn-graph .state-current[data-state="Wait for approval"]', { timeout: 60000 });
  assert.match(await page.locator('.sfn-graph .state[data-state="Validate"]').getAttribute('class'), /state-done/);
  assert.match(await page.locator('.sfn-graph .state[data-state="Gather evidence"]').getAttribute('class'), /state-done/);
  return id;
}

async function approveAsAlice(id) {
  await page.goto(`${server.url}/#/changes/${id}`);
  await page.selectOption('#user', 'alice');
  const card = page.locator('section.approval');
  await card.locator('table.diff').waitFor();
  await card.locator('button.approve').click();
}

test('a new image is submitted, validated, approved by another user, executed as them and passes its analysis', async () => {
  const id = await submit('web:2.0');
  assert.match(await page.locator('section.approval table.diff').textContent(), /web:1\.0.*web:2\.0/s);
  assert.equal(await image(), 'web:1.0'); // nothing changed before the approval
  await shot('30-change-awaiting-approval');
  await approveAsAlice(id);
  await until('the change to succeed', async () => /succeeded/.test(await page.locator('.page-head').textContent()), 120000);
  // the change's end is stored before its execution moves to the end state: the page polls until both
  await until('the graph to reach the end', async () => /state-done/.test(await page.locator('.sfn-graph .state[data-state="Change succeeded"]').getAttribute('class')), 30000);
  assert.match(await page.locator('.sfn-graph .state[data-state="Roll back"]').getAttribute('class'), /state-idle/);
  assert.match(await page.locator('.monitor').textContent(), /Analysis: Successful/);
  assert.match(await page.locator('main').textContent(), /approved by alice/);
  assert.equal(await page.locator('#states tbody tr').count(), 9);
  assert.equal(await image(), 'web:2.0');
  await shot('31-change-succeeded');
});

test('an image whose pods crash fails its analysis and is rolled back, as the approver', async () => {
  const id = await submit('web:broken');
  await approveAsAlice(id);
  await until('the change to be rolled back', async () => /rolled-back|rolledback|rolled back/.test(await page.locator('.page-head').textContent()), 120000);
  assert.match(await page.locator('.monitor').textContent(), /Analysis: Failed — rollout: the new pods fail: pod web-[a-z0-9-]+: container web/);
  assert.match(await page.locator('.sfn-graph .state[data-state="Roll back"]').getAttribute('class'), /state-done/);
  await until('the graph to reach the end', async () => /state-failed/.test(await page.locator('.sfn-graph .state[data-state="Rolled back"]').getAttribute('class')), 30000);
  assert.equal(await image(), 'web:2.0');
  await shot('32-change-rolled-back');
  // the failure opened an investigation: an agent run of the requester (dev), linked from the change
  const link = page.locator('.investigation a');
  await link.waitFor();
  const runId = decodeURIComponent((await link.getAttribute('href')).split('run=')[1]);
  await page.selectOption('#user', 'dev');
  await link.click();
  await page.waitForURL(/#\/runs\?run=/);
  const row = page.locator(`tr[data-run-id="${runId}"]`);
  await until('the investigation run to complete', async () => {
    await page.goto(`${server.url}/#/runs?run=${encodeURIComponent(runId)}&source=change`);
    await row.waitFor({ timeout: 10000 });
    return /completed/.test(await row.textContent());
  }, 60000);
  assert.match(await row.textContent(), /change/);
  assert.match(await page.locator('main').textContent(), new RegExp(`Change ${id} \\(set-image`));
  // the list shows both
  await page.goto(`${server.url}/#/changes`);
  await page.waitForSelector('#changes tbody tr');
  assert.equal(await page.locator('#changes tbody tr').count(), 2);
});

test('drift made with kubectl is noticed and restored as the approver, on the Changes page', async () => {
  // the good change left web:2.0 as the intended state; someone edits it by hand
  await kubePatchImage('hand-edited:1');
  await page.selectOption('#user', 'dev');
  await page.goto(`${server.url}/#/changes`);
  await page.waitForSelector('#intended tbody tr');
  assert.match(await page.locator('#intended').textContent(), /web=web:2\.0/);
  await page.click('#check-drift');
  await until('the drift to be remediated', async () => {
    const t = await page.locator('#drift').textContent();
    return /drift-remediated/.test(t) && /restored as alice/.test(t);
  }, 120000);
  assert.equal(await image(), 'web:2.0');
  await shot('33-drift-remediated');
  // the check is a run of alice's, whose approval the remediation ran under, in the Runs dashboard
  await page.selectOption('#user', 'alice');
  await until('the remediation run to be listed', async () => {
    await page.goto(`${server.url}/#/runs?source=remediation`);
    await page.waitForSelector('#run-stats');
    await page.waitForTimeout(500);
    return /remediation/.test(await page.locator('main table').textContent().catch(() => ''));
  }, 60000);
  assert.match(await page.locator('main table').textContent(), /Drift check drift-/);
  assert.deepEqual(pageErrors, [], `page errors: ${pageErrors.join('\n')}`);
});

test('an approver narrows a replicas change to fewer replicas: its own proposal, executed as narrowed', async () => {
  await page.goto(`${server.url}/#/changes`);
  await page.selectOption('#user', 'dev');
  await page.waitForSelector('#change-form');
  await page.fill('#change-form input[name=namespace]', NS);
  await page.fill('#change-form input[name=name]', 'web');
  await page.selectOption('#change-form select[name=kind]', 'scale');
  await page.fill('#change-form input[name=value]', '6');
  await page.click('#change-form button[type=submit]');
  await page.waitForURL(/#\/changes\/chg-/);
  await page.waitForSelector('.sfn-graph .state-current[data-state="Wait for approval"]', { timeout: 60000 });
  await page.selectOption('#user', 'alice');
  const card = page.locator('section.approval');
  await card.locator('table.diff').waitFor();
  const asked = await card.getAttribute('data-proposal');
  // widening is refused with the server's reason, and nothing is approved
  await card.locator('details.conditions summary').click();
  await card.locator('.narrow-replicas').fill('9');
  await card.locator('button.approve').click();
  await until('the refusal', async () => /does not narrow the change from 2 to 6/.test(await card.locator('.decision-error').textContent()));
  await card.locator('.narrow-replicas').fill('3');
  await card.locator('button.approve').click();
  await until('the narrowed change to succeed', async () => /succeeded/.test(await page.locator('.page-head').textContent()), 120000);
  assert.match(await page.locator('.narrowed').textContent(), /Narrowed by its approver from scale \{"replicas":6\}/);
  assert.match(await page.locator('main').textContent(), /approved by alice/);
  const replicas = (await kube('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json.spec.replicas;
  assert.equal(replicas, 3);
  const original = await page.evaluate(async (pid) => (await fetch(`/api/actions/${pid}`, { headers: { 'X-OpsAgent-User': 'alice' } })).json(), asked);
  assert.equal(original.status, 'rejected');
  await shot('34-change-narrowed');
});
