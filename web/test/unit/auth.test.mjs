import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64url, randomVerifier, challengeOf, authBase, authorizeUrl, logoutUrl, tokenForm, decodeJwt, tokensFrom,
  tokenDecision, refreshDelay, displayName, REFRESH_SKEW_MS,
} from '../../js/auth.js';
import { joinUrl, requestUrl } from '../../js/api.js';
import { validateConfig } from '../../js/config.js';

const CONFIG = {
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
  chatUrl: 'https://xyz.lambda-url.eu-west-1.on.aws/',
  clientId: 'client42',
  authDomain: 'opsagent-prod-123.auth.eu-west-1.amazoncognito.com',
  redirectUri: 'https://d111.cloudfront.net/',
};
const jwt = (payload) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

test('PKCE S256 challenge matches RFC 7636 appendix B', async () => {
  const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105,
    214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
  const verifier = base64url(new Uint8Array(octets));
  assert.equal(verifier, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  assert.equal(await challengeOf(verifier), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('a random verifier is 43 base64url characters and differs each time', () => {
  const a = randomVerifier();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, randomVerifier());
  assert.equal(base64url(new Uint8Array([251, 255, 191])), '-_-_');
});

test('authorize and logout URLs use https on the hosted UI domain with the client and redirect URI', () => {
  const u = new URL(authorizeUrl(CONFIG, { state: 'st', challenge: 'ch' }));
  assert.equal(u.origin + u.pathname, 'https://opsagent-prod-123.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
  assert.deepEqual(Object.fromEntries(u.searchParams), {
    response_type: 'code', client_id: 'client42', redirect_uri: 'https://d111.cloudfront.net/',
    scope: 'openid email profile', state: 'st', code_challenge: 'ch', code_challenge_method: 'S256' });
  const l = new URL(logoutUrl(CONFIG));
  assert.equal(l.pathname, '/logout');
  assert.equal(l.searchParams.get('client_id'), 'client42');
  assert.equal(l.searchParams.get('logout_uri'), 'https://d111.cloudfront.net/');
  assert.equal(authBase('http://127.0.0.1:9/'), 'http://127.0.0.1:9', 'a full URL is kept (a local stand-in)');
  assert.throws(() => authBase(''), /authDomain/);
});

test('token requests are form-encoded for both grants', () => {
  assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenForm(CONFIG, { code: 'c1', verifier: 'v1' }))), {
    grant_type: 'authorization_code', client_id: 'client42', code: 'c1',
    redirect_uri: 'https://d111.cloudfront.net/', code_verifier: 'v1' });
  assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenForm(CONFIG, { refreshToken: 'r1' }))), {
    grant_type: 'refresh_token', client_id: 'client42', refresh_token: 'r1' });
});

test('chat stream goes to chatUrl, every other call to apiUrl; slashes joined once; local mode keeps the path', () => {
  assert.equal(requestUrl(CONFIG, '/api/sessions/s1/messages', { stream: true }),
    'https://xyz.lambda-url.eu-west-1.on.aws/api/sessions/s1/messages');
  assert.equal(requestUrl(CONFIG, '/api/workloads'), 'https://abc123.execute-api.eu-west-1.amazonaws.com/api/workloads');
  assert.equal(requestUrl(CONFIG, '/api/sessions/s1'), 'https://abc123.execute-api.eu-west-1.amazonaws.com/api/sessions/s1');
  assert.equal(requestUrl(null, '/api/workloads'), '/api/workloads');
  assert.equal(joinUrl('https://x//', '/a?b=1'), 'https://x/a?b=1');
  assert.equal(joinUrl('https://x', 'a'), 'https://x/a');
});

test('tokens: expiry from expires_in or the token exp (earlier wins); refresh keeps the refresh token', () => {
  const now = 1_000_000;
  const t = tokensFrom({ access_token: 'a', id_token: 'i', refresh_token: 'r', expires_in: 3600 }, now);
  assert.deepEqual(t, { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresAt: now + 3600_000 });
  const early = tokensFrom({ access_token: jwt({ exp: (now + 600_000) / 1000 }), expires_in: 3600 }, now, t);
  assert.equal(early.expiresAt, now + 600_000);
  assert.equal(early.refreshToken, 'r');
  assert.equal(early.idToken, 'i');
  assert.throws(() => tokensFrom({ error: 'invalid_grant' }, now), /access_token/);
});

test('token decisions: valid, refresh within the skew, sign in without a way to refresh', () => {
  const now = 5_000_000;
  const t = { accessToken: 'a', refreshToken: 'r', expiresAt: now + 10 * 60_000 };
  assert.equal(tokenDecision(t, now), 'valid');
  assert.equal(refreshDelay(t, now), 10 * 60_000 - REFRESH_SKEW_MS);
  assert.equal(tokenDecision(t, t.expiresAt - REFRESH_SKEW_MS + 1), 'refresh');
  assert.equal(tokenDecision(t, t.expiresAt + 1), 'refresh');
  assert.equal(refreshDelay(t, t.expiresAt + 1), 0);
  assert.equal(tokenDecision({ ...t, refreshToken: null }, t.expiresAt), 'signin');
  assert.equal(tokenDecision(null, now), 'signin');
});

test('ID token payload is decoded for display (name, else email); garbage decodes to null', () => {
  assert.deepEqual(decodeJwt(jwt({ sub: 's', email: 'ana@example.com', name: 'Ana Ñ' })),
    { sub: 's', email: 'ana@example.com', name: 'Ana Ñ' });
  assert.equal(displayName(decodeJwt(jwt({ sub: 's', email: 'ana@example.com' }))), 'ana@example.com');
  assert.equal(decodeJwt('not-a-jwt'), null);
});

test('config.json must name the URLs and Cognito ids', () => {
  assert.equal(validateConfig(CONFIG), CONFIG);
  assert.throws(() => validateConfig({ ...CONFIG, chatUrl: 'None', clientId: '' }), /lacks chatUrl, clientId/);
  assert.throws(() => validateConfig([]), /not a JSON object/);
});
