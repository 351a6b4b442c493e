// The CloudFront Function that strips /proxy/<name> from the URI, tested from its only copy: the FunctionCode block
// scalar in deploy/cloudfront.yaml. Run: node --test deploy/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const templatePath = new URL('../cloudfront.yaml', import.meta.url);

/** The text of the `FunctionCode: |` block scalar: the lines indented deeper than the key, dedented. */
function functionCode(yaml) {
  const lines = yaml.split('\n');
  const start = lines.findIndex((line) => /^\s*FunctionCode:\s*\|\s*$/.test(line));
  assert.notEqual(start, -1, 'cloudfront.yaml has no "FunctionCode: |" block');
  assert.equal(
    lines.filter((line) => /^\s*FunctionCode:/.test(line)).length,
    1,
    'exactly one FunctionCode in the template',
  );
  const keyIndent = lines[start].search(/\S/);
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= keyIndent) break;
    body.push(line);
  }
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(indent)).join('\n').trimEnd() + '\n';
}

const code = functionCode(readFileSync(templatePath, 'utf8'));
// cloudfront-js-2.0 runs the code as a script that defines a global `handler`.
const handler = new Function(`${code}\nreturn handler;`)();

function viewerRequest(uri, querystring = {}) {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: {
      method: 'POST',
      uri,
      querystring,
      headers: { host: { value: 'd111111abcdef8.cloudfront.net' } },
      cookies: {},
    },
  };
}

const uriAfter = (uri) => handler(viewerRequest(uri)).uri;

test('the extracted code defines a handler', () => {
  assert.match(code, /^function handler\(event\)/);
  assert.equal(typeof handler, 'function');
});

test('API route keeps the stage and resource path', () => {
  assert.equal(uriAfter('/proxy/api/dev/pets'), '/dev/pets');
  assert.equal(uriAfter('/proxy/api/prod/pets/42/owner'), '/prod/pets/42/owner');
  assert.equal(uriAfter('/proxy/api/dev/pets/'), '/dev/pets/');
});

test('token route', () => {
  assert.equal(uriAfter('/proxy/token/oauth2/token'), '/oauth2/token');
});

test('JWKS route', () => {
  assert.equal(
    uriAfter('/proxy/jwks/us-east-1_x/.well-known/jwks.json'),
    '/us-east-1_x/.well-known/jwks.json',
  );
});

test('a bare route becomes the root', () => {
  assert.equal(uriAfter('/proxy/api'), '/');
  assert.equal(uriAfter('/proxy/api/'), '/');
  assert.equal(uriAfter('/proxy/token/'), '/');
  assert.equal(uriAfter('/proxy/jwks'), '/');
});

test('the query string object is untouched', () => {
  const querystring = {
    x: { value: '1' },
    tags: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] },
  };
  const snapshot = structuredClone(querystring);
  const request = handler(viewerRequest('/proxy/api/dev/pets', querystring));
  assert.equal(request.uri, '/dev/pets');
  assert.equal(request.querystring, querystring);
  assert.deepEqual(request.querystring, snapshot);
  assert.equal(request.method, 'POST');
  assert.deepEqual(request.headers, { host: { value: 'd111111abcdef8.cloudfront.net' } });
});

test('other paths are unchanged', () => {
  for (const uri of [
    '/',
    '/index.html',
    '/main-0123456789abcdef.css',
    '/proxy',
    '/proxy/',
    '/proxy/other/x',
    '/proxy/apix/dev',
    '/proxy/tokens/oauth2/token',
    '/dev/proxy/api/pets',
    '/PROXY/api/dev',
  ]) {
    assert.equal(uriAfter(uri), uri, uri);
  }
});

test('encoded characters and doubled slashes are kept as sent', () => {
  assert.equal(uriAfter('/proxy/api/dev/a%20b%2Fc'), '/dev/a%20b%2Fc');
  assert.equal(uriAfter('/proxy/api/dev/%E2%9C%93/%3F%23'), '/dev/%E2%9C%93/%3F%23');
  assert.equal(uriAfter('/proxy/api//dev//pets'), '//dev//pets');
  assert.equal(uriAfter('/proxy/api/dev/caf\u00e9'), '/dev/caf\u00e9');
});

test('a dot segment, plain or percent-encoded, is refused (it could climb out of the route at the origin)', () => {
  for (const uri of [
    '/proxy/api/dev/../prod/pets',
    '/proxy/api/dev/..',
    '/proxy/api/dev/./x',
    '/proxy/api/dev/%2e%2e/prod',
    '/proxy/api/dev/%2E%2e/prod',
    '/proxy/api/dev/.%2E/prod',
    '/proxy/token/oauth2/%2e/../login',
    '/proxy/jwks/../x',
    '/proxy/api/..',
  ]) {
    const answer = handler(viewerRequest(uri));
    assert.equal(answer.statusCode, 400, uri);
    assert.equal(answer.uri, undefined, uri);
  }
});

test('dots inside a segment are not dot segments', () => {
  assert.equal(
    uriAfter('/proxy/jwks/us-east-1_x/.well-known/jwks.json'),
    '/us-east-1_x/.well-known/jwks.json',
  );
  assert.equal(uriAfter('/proxy/api/dev/a..b/...'), '/dev/a..b/...');
  assert.equal(uriAfter('/proxy/api/dev/v1.2/.hidden'), '/dev/v1.2/.hidden');
});

test('outside the proxy routes dot segments are left to the site origin', () => {
  assert.equal(uriAfter('/a/../index.html'), '/a/../index.html');
});
