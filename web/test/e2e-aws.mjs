// End-to-end test of the UI's AWS mode in real headless Chromium. Four origins, as when deployed:
//   web    — web/ plus a config.json (as CloudFront + scripts/publish-web serve it)
//   auth   — a stand-in for the Cognito hosted UI: /oauth2/authorize (redirects back with code & state),
//            /oauth2/token (checks the PKCE verifier against the challenge, issues and refreshes tokens), /logout
//   api    — the HTTP API (CORS, Bearer token required, records requests)
//   chat   — the streaming Function URL (CORS, Bearer token required, answers with SSE chunk by chunk)
// Flow: redirect to sign in → back signed in (no code/state left in the URL) → workloads from the API with the
// Authorization header → a chat answer streamed from the chat origin → a refused token is refreshed once →
// sign out clears the tokens → consent denied and a failed token exchange show clear errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, serveStatic, WEB_DIR } from './browser.mjs';

const SHOTS = join(WEB_DIR, 'test', 'screenshots');
const CLIENT_ID = 'webclient123';
const T = 10000;

let web; let auth; let api; let chat; let browser; let page; let config;
const pageErrors = [];

/** A JWT-shaped token (unsigned; the UI only decodes the ID token for display). */
const jwt = (payload) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.x`;

/** An HTTP server on a free loopback port; `handler(req, res, body)`; records every request. */
async function serve(handler) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://x');
      requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
        headers: req.headers, body });
      Promise.resolve(handler(req, res, body, url)).catch((e) => { res.writeHead(500); res.end(String(e)); });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

/** The fake Cognito hosted UI and token endpoint. */
async function fakeCognito() {
  const state = { codes: new Map(), access: new Set(), refresh: new Set(), issued: 0, deny: false, hold: false };
  const s = await serve((req, res, body, url) => {
    const q = url.searchParams;
    if (url.pathname === '/oauth2/authorize') {
      const bad = (q.get('response_type') !== 'code' && 'response_type') || (q.get('client_id') !== CLIENT_ID && 'client_id')
        || (q.get('redirect_uri') !== config.redirectUri && 'redirect_uri') || (q.get('code_challenge_method') !== 'S256' && 'code_challenge_method')
        || (!/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') || '') && 'code_challenge') || (!q.get('state') && 'state');
      if (bad) { res.writeHead(400, { 'Content-Type': 'text/plain' }); res.end(`bad ${bad}`); return; }
      if (state.hold) { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<!doctype html><title>Sign in</title><h1 id="hosted-ui">Sign in</h1>'); return; }
      const back = new URL(q.get('redirect_uri'));
      if (state.deny) {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user denied consent');
      } else {
        const code = randomBytes(8).toString('hex');
        state.codes.set(code, { challenge: state.swapChallenge ? 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' : q.get('code_challenge'), redirectUri: q.get('redirect_uri') });
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', q.get('state'));
      res.writeHead(302, { Location: back.toString() });
      res.end();
      return;
    }
    if (url.pathname === '/oauth2/token') {
      const cors = { 'Access-Control-Allow-Origin': web.url };
      const f = new URLSearchParams(body);
      const fail = (error, description) => {
        res.writeHead(400, { ...cors, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error, error_description: description }));
      };
      if (req.method !== 'POST' || !/application\/x-www-form-urlencoded/.test(req.headers['content-type'] || '')) return fail('invalid_request', 'form POST expected');
      if (f.get('client_id') !== CLIENT_ID) return fail('invalid_client', 'unknown client');
      const issue = (withRefresh) => {
        const at = `at-${++state.issued}`;
        state.access.add(at);
        const out = { access_token: at, token_type: 'Bearer', expires_in: 3600,
          id_token: jwt({ sub: 'user-sub-1', name: 'Ana Example', email: 'ana@example.com', exp: Date.now() / 1000 + 3600 }) };
        if (withRefresh) { out.refresh_token = `rt-${state.issued}`; state.refresh.add(out.refresh_token); }
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out));
      };
      if (f.get('grant_type') === 'authorization_code') {
        const c = state.codes.get(f.get('code'));
        state.codes.delete(f.get('code')); // one use
        if (!c) return fail('invalid_grant', 'unknown or used code');
        if (f.get('redirect_uri') !== c.redirectUri) return fail('invalid_grant', 'redirect_uri differs');
        const challenge = createHash('sha256').update(f.get('code_verifier') || '').digest('base64url');
        if (challenge !== c.challenge) return fail('invalid_grant', 'code_verifier does not match the code_challenge');
        return issue(true);
      }
      if (f.get('grant_type') === 'refresh_token') {
        if (!state.refresh.has(f.get('refresh_token'))) return fail('invalid_grant', 'unknown refresh token');
        return issue(false); // as Cognito: no new refresh token
      }
      return fail('unsupported_grant_type', f.get('grant_type'));
    }
    if (url.pathname === '/logout') {
      if (q.get('client_id') !== CLIENT_ID || q.get('logout_uri') !== config.redirectUri) {
        res.writeHead(400); res.end('bad logout'); return;
      }
      res.writeHead(302, { Location: q.get('logout_uri') });
      res.end();
      return;
    }
    res.writeHead(404); res.end();
  });
  return Object.assign(s, { state });
}

/** A fake backend origin: CORS for the web origin, Bearer token required, then `routes(req, res, body, url)`. */
async function fakeBackend(routes) {
  return serve((req, res, body, url) => {
    const cors = { 'Access-Control-Allow-Origin': web.url, Vary: 'Origin' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, content-type', 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization || '')?.[1];
    if (!token || !auth.state.access.has(token)) {
      res.writeHead(401, { ...cors, 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
      res.end(JSON.stringify({ message: 'Unauthorized' }));
      return;
    }
    const json = (status, v) => { res.writeHead(status, { ...cors, 'Content-Type': 'application/json' }); res.end(JSON.stringify(v)); };
    return routes(req, res, body, url, { cors, json });
  });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const extra = {};
  web = await serveStatic({ extra });
  auth = await fakeCognito();
  api = await fakeBackend((req, res, body, url, { json }) => {
    if (req.method === 'GET' && url.pathname === '/api/workloads') {
      return json(200, [{ namespace: 'shop', name: 'cart', kind: 'Deployment', status: 'critical', ready: 0, desired: 2,
        topFinding: { title: 'CrashLoopBackOff' } }]);
    }
    if (req.method === 'POST' && url.pathname === '/api/sessions') return json(201, { id: 's1', workload: JSON.parse(body).workload });
    if (req.method === 'GET' && url.pathname === '/api/sessions/s1') return json(200, { id: 's1', workload: 'shop/*', messages: [] });
    if (req.method === 'GET' && url.pathname === '/api/sessions') return json(200, { items: [{ id: 's1', workload: 'shop/*', title: 'why?' }] });
    return json(404, { error: `no route ${req.method} ${url.pathname}` });
  });
  chat = await fakeBackend(async (req, res, body, url, { cors, json }) => {
    if (req.method !== 'POST' || url.pathname !== '/api/sessions/s1/messages') return json(404, { error: 'no route' });
    res.writeHead(200, { ...cors, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('run', { runId: 'r1' });
    for (const piece of ['The cart ', 'pods crash ', 'because the ', 'database password is wrong.']) {
      send('delta', { text: piece });
      await new Promise((r) => setTimeout(r, 120));
    }
    send('final', { runId: 'r1', status: 'completed', text: 'The cart pods crash because the database password is wrong.' });
    res.end();
  });
  config = { apiUrl: api.url, chatUrl: `${chat.url}/`, region: 'eu-west-1', userPoolId: 'eu-west-1_test',
    clientId: CLIENT_ID, authDomain: auth.url, redirectUri: `${web.url}/` };
  extra['/config.json'] = { type: 'application/json', body: JSON.stringify(config) };

  browser = await launchBrowser();
  page = await openPage(browser, T, pageErrors);
});

after(async () => {
  try { await browser?.close(); } finally {
    await Promise.all([web, auth, api, chat].filter(Boolean).map((s) => s.close()));
  }
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `aws-${name}.png`), fullPage: true });
const storage = () => page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));

test('the page redirects to the hosted UI and comes back signed in, without code or state in the URL', async () => {
  await page.goto(`${web.url}/#/workloads`);
  await page.waitForSelector('#workloads tbody tr[data-workload="shop/cart"]');
  const authorize = auth.requests.filter((r) => r.path === '/oauth2/authorize');
  assert.equal(authorize.length, 1);
  assert.equal(authorize[0].query.code_challenge_method, 'S256');
  const token = auth.requests.find((r) => r.path === '/oauth2/token');
  const form = Object.fromEntries(new URLSearchParams(token.body));
  assert.equal(form.grant_type, 'authorization_code');
  assert.equal(form.redirect_uri, config.redirectUri);
  assert.match(form.code_verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(page.url(), `${web.url}/#/workloads`, 'code and state are stripped, the route is kept');

  assert.equal(await page.textContent('#account-name'), 'Ana Example');
  assert.equal(await page.isVisible('#sign-out'), true);
  assert.equal(await page.isHidden('#user-switch'), true, 'no dev-user switcher when signed in');

  const s = await storage();
  const tokens = JSON.parse(s.session['opsagent.auth.tokens']);
  assert.equal(tokens.accessToken, 'at-1');
  assert.equal(tokens.refreshToken, 'rt-1');
  assert.equal(s.session['opsagent.auth.pkce'], undefined, 'the PKCE verifier is gone after the exchange');
  assert.ok(!JSON.stringify(s.local).includes('at-1') && !JSON.stringify(s.local).includes('rt-1'), 'no tokens in localStorage');
  await shot('01-signed-in');
});

test('API calls go to apiUrl with the Bearer token and no dev-user header', () => {
  const r = api.requests.find((x) => x.method === 'GET' && x.path === '/api/workloads');
  assert.ok(r, 'the workloads came from the API origin');
  assert.equal(r.headers.authorization, 'Bearer at-1');
  assert.equal(r.headers['x-opsagent-user'], undefined);
  assert.equal(r.headers.origin, web.url);
});

test('a chat answer streams from the chat origin (SSE) with the Bearer token', async () => {
  await page.selectOption('#ns-filter', 'shop');
  await page.click('#ask-namespace');
  await page.waitForURL(/#\/chat\/s1$/);
  await page.waitForSelector('#chat-send:not([disabled])');
  await page.evaluate(() => {
    window.updates = 0;
    new MutationObserver(() => { if (document.querySelector('.msg-assistant.streaming .answer')?.textContent) window.updates++; })
      .observe(document.getElementById('messages'), { childList: true, subtree: true, characterData: true });
  });
  await page.fill('#chat-input', 'why is it failing?');
  await page.click('#chat-send');
  await page.waitForSelector('.msg-assistant:not(.streaming)');
  const msg = page.locator('.msg-assistant').last();
  assert.equal(await msg.locator('.error').count(), 0, await msg.textContent());
  assert.match(await msg.locator('.answer').textContent(), /database password is wrong/);
  assert.ok(await page.evaluate(() => window.updates) >= 2, 'the answer grew while streaming');

  const posted = chat.requests.filter((x) => x.method === 'POST');
  assert.equal(posted.length, 1);
  assert.equal(posted[0].path, '/api/sessions/s1/messages', 'the trailing slash of chatUrl is not doubled');
  assert.equal(posted[0].headers.authorization, 'Bearer at-1');
  assert.deepEqual(JSON.parse(posted[0].body), { text: 'why is it failing?' });
  assert.ok(chat.requests.some((x) => x.method === 'OPTIONS'), 'the browser sent a CORS preflight to the chat origin');
  assert.equal(api.requests.filter((x) => x.path.endsWith('/messages')).length, 0, 'the API never got the chat POST');
  await shot('02-chat');
});

test('a refused access token is refreshed once and the call retried', async () => {
  auth.state.access.delete('at-1'); // revoked server-side
  await page.click('nav a[data-nav="sessions"]');
  await page.waitForSelector('#sessions a[href="#/chat/s1"]');
  const refresh = auth.requests.filter((r) => r.path === '/oauth2/token'
    && new URLSearchParams(r.body).get('grant_type') === 'refresh_token');
  assert.equal(refresh.length, 1);
  assert.equal(new URLSearchParams(refresh[0].body).get('refresh_token'), 'rt-1');
  const calls = api.requests.filter((x) => x.method === 'GET' && x.path === '/api/sessions');
  assert.deepEqual(calls.map((x) => x.headers.authorization), ['Bearer at-1', 'Bearer at-2']);
  const tokens = JSON.parse((await storage()).session['opsagent.auth.tokens']);
  assert.equal(tokens.accessToken, 'at-2');
  assert.equal(tokens.refreshToken, 'rt-1', 'the refresh token is kept (Cognito sends no new one)');
});

test('sign out clears the tokens and ends the hosted UI session', async () => {
  auth.state.hold = true; // the next authorize shows the hosted UI's sign-in page instead of signing in at once
  const authorizeBefore = auth.requests.filter((r) => r.path === '/oauth2/authorize').length;
  await page.click('#sign-out');
  await page.waitForSelector('#hosted-ui');
  const logout = auth.requests.find((r) => r.path === '/logout');
  assert.deepEqual(logout.query, { client_id: CLIENT_ID, logout_uri: config.redirectUri });
  // Back on the UI without tokens, it asked to sign in again.
  assert.equal(auth.requests.filter((r) => r.path === '/oauth2/authorize').length, authorizeBefore + 1);
  assert.ok(page.url().startsWith(`${auth.url}/oauth2/authorize?`));
  await page.goto(`${web.url}/blank`);
  const s = await storage();
  assert.equal(s.session['opsagent.auth.tokens'], undefined, 'no tokens after sign out');
});

test('denied consent shows a clear error, with the error parameters gone from the URL', async () => {
  auth.state.hold = false;
  auth.state.deny = true;
  await page.goto(`${web.url}/#/runs`);
  await page.waitForSelector('#startup-error');
  assert.match(await page.textContent('#startup-error'), /Sign-in failed: access was denied.*The user denied consent/);
  assert.equal(page.url(), `${web.url}/#/runs`);
  assert.equal(await page.isVisible('#sign-in'), true);
  await shot('03-denied');
});

test('a failed token exchange (PKCE mismatch) shows a clear error', async () => {
  auth.state.deny = false;
  // The authorization server remembers another challenge than the one the UI sent (as if the request had been
  // tampered with): the token endpoint's PKCE check refuses the UI's verifier.
  auth.state.swapChallenge = true;
  await page.click('#sign-in');
  await page.waitForSelector('#startup-error');
  assert.match(await page.textContent('#startup-error'),
    /token exchange\) failed: HTTP 400 \(invalid_grant — code_verifier does not match the code_challenge\)/);
  assert.equal((await storage()).session['opsagent.auth.tokens'], undefined);
  auth.state.swapChallenge = false;
});

test('a code coming back with a state this tab did not send is refused (no token request)', async () => {
  const tokenCalls = auth.requests.filter((r) => r.path === '/oauth2/token').length;
  await page.goto(`${web.url}/?code=forged&state=forged#/workloads`);
  await page.waitForSelector('#startup-error');
  assert.match(await page.textContent('#startup-error'), /state mismatch/);
  assert.equal(page.url(), `${web.url}/#/workloads`);
  assert.equal(auth.requests.filter((r) => r.path === '/oauth2/token').length, tokenCalls);
});

test('no script errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
