// The approved-fix flow end to end, in real headless Chromium against the real product on the real local Kubernetes
// cluster (cluster/: kube-apiserver, controllers, scheduler, kwok): an OOM-killed Deployment (events/clusters/oom-lab)
// is seeded with its failure simulated until its memory limit changes; dev asks the agent to fix it, sees the
// proposal with the server's dry-run diff, alice approves it on the Pending approvals page, the rollout is verified,
// the finding disappears, and every step is in the Audit page, whose chain verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, WEB_DIR } from './browser.mjs';
import { startServer, REPO_ROOT } from './server.mjs';
import { clusterEnv, cluster, kube, until } from './cluster.mjs';

const SHOTS = join(WEB_DIR, 'test', 'screenshots');
const T = 30000;
let startedCluster = false;
let server; let browser; let page;
const pageErrors = [];
const env = { ...process.env, ...clusterEnv };

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  try { cluster('status'); } catch { cluster('up', '--no-seed'); startedCluster = true; }
  await kube('DELETE', '/api/v1/namespaces/lab');
  await until('namespace lab gone', async () => (await kube('GET', '/api/v1/namespaces/lab')).status === 404);
  // the OOM-killed Deployment, its pods OOM-killed by kwok while its memory limit is 1Gi
  cluster('kwok', 'stop');
  try {
    execFileSync(join(REPO_ROOT, 'opsagent'), ['seed', '--context', 'opsagent-local', '--dump', 'events/clusters/oom-lab',
      '--scenarios', join(clusterEnv.OPSAGENT_CLUSTER_DIR, 'kwok.d')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  } finally {
    cluster('kwok', 'start');
  }
  // dev asks, alice approves: both may edit the namespace (RBAC decides, as the approver is impersonated)
  for (const user of ['dev', 'alice']) {
    const r = await kube('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/lab/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${user}-edit` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  await until('the lab pods OOM-killed', async () => {
    const pods = (await kube('GET', '/api/v1/namespaces/lab/pods')).json.items || [];
    return pods.length === 2 && pods.every((p) => (p.status.containerStatuses || [])
      .some((c) => c.lastState && c.lastState.terminated && c.lastState.terminated.reason === 'OOMKilled'));
  });
  server = await startServer({ args: ['--context', 'opsagent-local'], env: clusterEnv });
  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  try { await browser?.close(); } finally {
    if (server) {
      await server.stop();
      if (process.exitCode) console.error(`--- server log (tail) ---\n${server.log().slice(-4000)}`);
    }
    await kube('DELETE', '/api/v1/namespaces/lab').catch(() => {});
    if (startedCluster) cluster('down');
  }
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const state = {};

test('asked to fix the OOM-killed workload, the agent proposes the memory fix with the server\'s diff', async () => {
  await page.goto(`${server.url}/#/workloads/lab/api?kind=Deployment`);
  await page.waitForSelector('.findings .finding');
  assert.match(await page.locator('.findings .finding').first().textContent(), /OOMKilled/);
  await page.click('#ask-agent');
  await page.waitForSelector('#chat-send:not([disabled])');
  await page.fill('#chat-input', 'fix it');
  await page.click('#chat-send');
  const card = page.locator('.msg-assistant section.approval');
  await card.waitFor({ timeout: 120000 });
  await card.locator('table.diff').waitFor();
  const diff = await card.locator('table.diff tbody tr').first().textContent();
  assert.match(diff, /spec\.template\.spec\.containers\[app\]\.resources\.limits\.memory/);
  assert.match(diff, /1Gi/);
  assert.match(diff, /2Gi/);
  assert.match(await card.textContent(), /Pods replaced: 2/);
  assert.match(await card.locator('.expiry').textContent(), /Expires in 1[45]:\d\d/);
  await page.waitForSelector('.msg-assistant:not(.streaming)', { timeout: 120000 });
  assert.match(await page.locator('.msg-assistant .answer').last().textContent(), /nothing has changed yet/i);
  state.proposal = await card.getAttribute('data-proposal');
  state.runId = await page.locator('.msg-assistant').last().getAttribute('data-run-id');
  // nothing changed in the cluster
  const d = (await kube('GET', '/apis/apps/v1/namespaces/lab/deployments/api')).json;
  assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, '1Gi');
  await shot('20-proposal-in-chat');
});

test('another user approves it on the Pending approvals page; the rollout is verified', async () => {
  await page.selectOption('#user', 'alice');
  await page.goto(`${server.url}/#/approvals`);
  const card = page.locator(`section.approval[data-proposal="${state.proposal}"]`);
  await card.waitFor();
  await shot('21-pending-approvals');
  await card.locator('button.approve').click();
  await until('the proposal to succeed', async () => /succeeded/.test(await card.locator('.approval-head').textContent()), 120000);
  assert.match(await card.locator('.verification').textContent(), /succeeded — rolled out: 2 of 2 updated/);
  assert.match(await card.textContent(), /Executed as alice: PATCH \/apis\/apps\/v1\/namespaces\/lab\/deployments\/api/);
  const d = (await kube('GET', '/apis/apps/v1/namespaces/lab/deployments/api')).json;
  assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, '2Gi');
  await shot('22-approved-verified');
});

test('the finding is gone from the workload page', async () => {
  await until('the OOMKilled finding to clear', async () => {
    await page.goto(`${server.url}/#/workloads/lab/api?kind=Deployment&t=${Date.now()}`);
    await page.waitForSelector('.status-card .badge');
    return !/OOMKilled/.test(await page.locator('main').textContent());
  }, 90000);
  await shot('23-fixed');
});

test('a change that makes it worse fails its verification, and a rollback is proposed for a human to approve', async () => {
  const call = async (user, method, path, body) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'X-OpsAgent-User': user, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: await res.json() };
  };
  const worse = await call('dev', 'POST', '/api/actions', { kind: 'set-resources', namespace: 'lab', targetKind: 'Deployment',
    name: 'api', params: { container: 'app', limits: { memory: '1Gi' } } });
  assert.equal(worse.status, 201, JSON.stringify(worse.json));
  const ok = await call('alice', 'POST', `/api/actions/${worse.json.id}/approve`, { hash: worse.json.hash });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  const end = await until('the verification to fail', async () => {
    const p = (await call('alice', 'GET', `/api/actions/${worse.json.id}`)).json;
    return ['failed', 'succeeded'].includes(p.status) ? p : null;
  }, 120000);
  assert.equal(end.status, 'failed', JSON.stringify(end.verification));
  assert.match(end.verification.rollout, /the new pods fail: pod api-[a-z0-9-]+: container app OOMKilled \(exit 137\)/);
  const rollback = await until('the rollback proposal', async () => (await call('alice', 'GET', '/api/actions?status=pending')).json.items
    .find((p) => p.action.kind === 'rollback' && p.requester === 'opsagent'));
  assert.match(rollback.dryRun.diff.map((c) => c.text).join('\n'), /limits\.memory: 1Gi → 2Gi/);
  const undo = await call('alice', 'POST', `/api/actions/${rollback.id}/approve`, { hash: rollback.hash });
  assert.equal(undo.status, 200, JSON.stringify(undo.json));
  await until('the rollback to succeed', async () => (await call('alice', 'GET', `/api/actions/${rollback.id}`)).json.status === 'succeeded', 120000);
  const d = (await kube('GET', '/apis/apps/v1/namespaces/lab/deployments/api')).json;
  assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, '2Gi');
});

test('every step is in the Audit page and the chain verifies', async () => {
  // admins read the audit of their projects: dev administers the local default project
  await page.selectOption('#user', 'dev');
  await page.goto(`${server.url}/#/audit?proposal=${state.proposal}`);
  await page.waitForSelector('#audit tbody tr');
  const types = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => tr.dataset.type));
  assert.deepEqual(types, ['verified', 'executed', 'access-checked', 'access-checked', 'approved', 'proposed']);
  await page.click('#verify-audit');
  await page.waitForSelector('.verdict .ok');
  assert.match(await page.textContent('.verdict'), /Intact: \d+ records/);
  await shot('24-audit');
  // the run that proposed it links to it (as dev, whose run it is)
  await page.selectOption('#user', 'dev');
  await page.goto(`${server.url}/#/runs?run=${encodeURIComponent(state.runId)}`);
  await page.waitForSelector('.step-proposals a');
  assert.deepEqual(await page.$$eval('.step-proposals a', (as) => [...new Set(as.map((a) => a.textContent))]), [state.proposal]);
  assert.deepEqual(pageErrors, [], `page errors: ${pageErrors.join('\n')}`);
});
