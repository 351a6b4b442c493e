// CloudWatch Synthetics canary exported by Cognito API Tester {{VERSION}}.
// Every run: read the client secret from Secrets Manager (the seed's JSON shape), get a token
// with client credentials, call the API with it, check the assertions. The secret and the
// token are never logged: every message is masked before it is written or thrown.
'use strict';

const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

// The settings and assertions as exported; CONFIG.placeholder stands for the secret in the token request.
const CONFIG = {{CONFIG}};

const SECRET_ID = process.env.COGNITO_SECRET_ID || CONFIG.secretId;
const MASK = '••••••';

/** application/x-www-form-urlencoded, as the token request body is encoded. */
function formEncode(value) {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The text with every known secret replaced. */
function mask(text, secrets) {
  let out = String(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join(MASK);
    }
  }
  return out;
}

async function readClientSecret() {
  let answer;
  try {
    answer = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: SECRET_ID }));
  } catch (e) {
    throw new Error(`The secret ${SECRET_ID} could not be read from Secrets Manager (${e.name || 'error'}): check its name and the canary role's secretsmanager:GetSecretValue permission.`);
  }
  let values;
  try {
    values = JSON.parse(answer.SecretString || '');
  } catch (e) {
    throw new Error(`The secret ${SECRET_ID} is not JSON: it must hold the seed's keys (USER_POOL_CLIENT_SECRET, ...).`);
  }
  const secret = values && values.USER_POOL_CLIENT_SECRET;
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new Error(`The secret ${SECRET_ID} has no USER_POOL_CLIENT_SECRET.`);
  }
  return secret.trim();
}

/** Sends one request; resolves with the status, body and elapsed milliseconds. */
async function send(request, secrets) {
  const started = Date.now();
  let response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
      // Never followed, as on the page and in the CLI: a redirect to a login page must not read
      // as the API's 200, and a 307 must not carry the client secret to another host.
      redirect: 'manual',
      signal: AbortSignal.timeout(CONFIG.timeoutMs),
    });
  } catch (e) {
    const why = e && e.name === 'TimeoutError' ? `no answer within ${CONFIG.timeoutMs / 1000} s` : (e && e.cause && e.cause.code) || (e && e.message) || 'network error';
    throw new Error(mask(`${request.method} ${new URL(request.url).host} failed: ${why}`, secrets));
  }
  if (response.status >= 300 && response.status < 400) {
    const to = response.headers.get('location');
    throw new Error(mask(`${request.method} ${new URL(request.url).host} answered ${response.status} redirecting${to ? ` to ${to}` : ''}, which is not followed: call the final URL (a 3xx from API Gateway or Cognito usually means the URL or the stage is wrong).`, secrets));
  }
  const body = await response.text();
  return { status: response.status, body, contentType: response.headers.get('content-type'), elapsedMs: Date.now() - started };
}

/** Masked, then cut: a secret standing across the cut would show its first part. */
function shorten(text, max, secrets) {
  const one = mask(text, secrets).replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** From 2^53 on two different numbers read the same: such a number equals nothing (as on the page). */
const EXACT_LIMIT = 2 ** 53;

/** JSON equality with numbers by value, as the page compares. */
function jsonEqual(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a) < EXACT_LIMIT && Math.abs(b) < EXACT_LIMIT && a === b;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/**
 * What JSON.parse takes and the page's parser (serde_json) refuses: 128 levels of nesting or more, and
 * a lone surrogate escape (a Node backend cutting a string mid-emoji writes `"\ud83d"`).
 */
function notAsThePageReads(root) {
  const pending = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop();
    if (typeof value === 'string') {
      if (typeof value.isWellFormed === 'function' && !value.isWellFormed()) return 'a string holds a lone surrogate escape';
    } else if (value !== null && typeof value === 'object') {
      if (depth >= 128) return 'nested 128 levels deep or more';
      for (const [key, item] of Object.entries(value)) {
        if (typeof key.isWellFormed === 'function' && !key.isWellFormed()) return 'a key holds a lone surrogate escape';
        pending.push([item, depth + 1]);
      }
    }
  }
  return null;
}

function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return { boolean: 'a boolean', number: 'a number', string: 'a string', object: 'an object' }[typeof value] || 'a value';
}

/** [passed, actual] for one assertion against the API's answer. */
function check(assertion, answer, secrets) {
  let parsed;
  const json = () => {
    if (parsed === undefined) {
      if (answer.body.trim() === '') {
        parsed = { error: 'the body is empty' };
      } else {
        try {
          const value = JSON.parse(answer.body);
          const refused = notAsThePageReads(value);
          parsed = refused ? { error: refused } : { value };
        } catch (e) {
          parsed = { error: e.message };
        }
      }
    }
    return parsed;
  };
  switch (assertion.kind) {
    case 'status':
      return [answer.status === assertion.expected, String(answer.status)];
    case 'statusClass':
      return [Math.floor(answer.status / 100) === assertion.class, String(answer.status)];
    case 'json': {
      // As the page judges it: only a body whose Content-Type says JSON must parse; empty passes.
      if (!/json/i.test(answer.contentType || '')) return [true, `not declared JSON (${answer.contentType || 'no Content-Type'})`];
      if (answer.body.trim() === '') return [true, 'empty body'];
      const p = json();
      return p.error ? [false, `not JSON: ${p.error}`] : [true, 'valid JSON'];
    }
    case 'length': {
      const p = json();
      if (p.error) return [false, `not JSON: ${p.error}`];
      if (Array.isArray(p.value)) return [p.value.length === assertion.expected, `array of ${p.value.length}`];
      if (p.value && typeof p.value === 'object') {
        const n = Object.keys(p.value).length;
        return [n === assertion.expected, `object of ${n} key${n === 1 ? '' : 's'}`];
      }
      return [false, kindOf(p.value)];
    }
    case 'pointer': {
      const p = json();
      if (p.error) return [false, `not JSON: ${p.error}`];
      let node = p.value;
      for (const token of assertion.tokens) {
        if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < node.length) {
          node = node[Number(token)];
        } else if (node && typeof node === 'object' && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, token)) {
          node = node[token];
        } else {
          return [false, `missing: ${assertion.pointer}`];
        }
      }
      const shown = shorten(JSON.stringify(node), 120, secrets);
      if (typeof node === 'number' && !(Math.abs(node) < EXACT_LIMIT)) {
        return [false, `${shown}, rounded: too large to compare exactly as a number (check it with \`contains\`)`];
      }
      return [jsonEqual(node, assertion.expected), shown];
    }
    case 'contains': {
      const at = answer.body.indexOf(assertion.text);
      if (at >= 0) return [true, `found at character ${Array.from(answer.body.slice(0, at)).length + 1}`];
      return [false, answer.body === '' ? 'not found: the body is empty' : `not found in ${Array.from(answer.body).length} characters`];
    }
    case 'latency':
      return [answer.elapsedMs < assertion.ms, `${Math.floor(answer.elapsedMs)} ms`];
    default:
      return [false, `unknown assertion ${assertion.kind}`];
  }
}

async function canary() {
  const secret = await readClientSecret();
  const secrets = [secret, formEncode(secret)];
  let token;

  await synthetics.executeStep('token request', async () => {
    const headers = Object.fromEntries(CONFIG.token.headers);
    if (CONFIG.token.basic) {
      const credentials = Buffer.from(`${CONFIG.clientId}:${secret}`).toString('base64');
      secrets.push(credentials);
      headers.Authorization = `Basic ${credentials}`;
    }
    const body = CONFIG.token.body.split(CONFIG.placeholder).join(formEncode(secret));
    const answer = await send({ method: 'POST', url: CONFIG.token.url, headers, body }, secrets);
    let parsed = {};
    try {
      parsed = JSON.parse(answer.body);
    } catch (e) {
      parsed = {};
    }
    // As the page reads a token response: any 2xx, no `error` key, an access token that is not
    // blank (an empty one would go out as "Bearer " and pass an API that checks nothing).
    const usable = answer.status >= 200 && answer.status <= 299 && parsed !== null && typeof parsed === 'object'
      && parsed.error === undefined && typeof parsed.access_token === 'string' && parsed.access_token.trim() !== '';
    if (!usable) {
      const what = parsed && parsed.error ? `: ${parsed.error}${parsed.error_description ? `: ${parsed.error_description}` : ''}` : ` without a usable access token: ${shorten(answer.body, 200, secrets)}`;
      throw new Error(mask(`The token endpoint answered ${answer.status}${what}`, secrets));
    }
    token = parsed.access_token;
    secrets.push(token);
    secrets.push(token.split('.').pop());
    log.info(`token request: HTTP ${answer.status} in ${answer.elapsedMs} ms`);
  });

  await synthetics.executeStep('API call', async () => {
    const headers = Object.fromEntries(CONFIG.api.headers);
    headers.Authorization = `Bearer ${token}`;
    const answer = await send({ method: CONFIG.api.method, url: CONFIG.api.url, headers, body: CONFIG.api.body }, secrets);
    log.info(mask(`API call: ${CONFIG.api.method} ${CONFIG.api.url} answered ${answer.status} in ${answer.elapsedMs} ms`, secrets));
    const failed = [];
    if (answer.status < 200 || answer.status > 299) {
      failed.push(`the API answered ${answer.status}: ${shorten(answer.body, 200, secrets)}`);
    }
    for (const assertion of CONFIG.assertions) {
      const [passed, actual] = check(assertion, answer, secrets);
      log.info(mask(`${passed ? 'PASS' : 'FAIL'} ${assertion.description} (actual: ${actual})`, secrets));
      if (!passed) failed.push(`${assertion.description} (actual: ${actual})`);
    }
    if (failed.length > 0) {
      throw new Error(mask(`FAIL — ${failed.join('; ')}`, secrets));
    }
  });
}

exports.handler = async () => canary();
