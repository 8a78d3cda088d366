// The test cluster the end-to-end tests on the live path share (cluster/: a real API server; its state directory and
// ports from OPSAGENT_TEST_CLUSTER_*, as scripts/test sets them): its script, its API as admin, and a poll helper.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT } from './server.mjs';

export const clusterEnv = {
  OPSAGENT_CLUSTER_DIR: process.env.OPSAGENT_TEST_CLUSTER_DIR || join(process.env.TMPDIR || tmpdir(), 'opsagent-test-cluster'),
  OPSAGENT_CLUSTER_PORT: process.env.OPSAGENT_TEST_CLUSTER_PORT || '26443',
  OPSAGENT_CLUSTER_ETCD_PORT: process.env.OPSAGENT_TEST_CLUSTER_ETCD_PORT || '22379',
};
const env = { ...process.env, ...clusterEnv };

/** Runs cluster/cluster with the test cluster's settings; returns its output. */
export const cluster = (...args) => execFileSync(join(REPO_ROOT, 'cluster', 'cluster'), args,
  { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

/** The test cluster's API as admin (its CA and token), for a test's own setup; a PATCH names its content type. */
export function kube(method, path, body, contentType = 'application/json') {
  const dir = clusterEnv.OPSAGENT_CLUSTER_DIR;
  const headers = { Authorization: `Bearer ${readFileSync(join(dir, 'pki', 'admin.token'), 'utf8').trim()}` };
  if (body) headers['Content-Type'] = contentType;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(clusterEnv.OPSAGENT_CLUSTER_PORT), path, method, headers,
      ca: readFileSync(join(dir, 'pki', 'ca.crt')) }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

/** Polls `fn` every half second until it returns something truthy (returned), or fails after `ms`. */
export async function until(what, fn, ms = 90000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
