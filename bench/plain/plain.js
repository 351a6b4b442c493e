// What the app's Run does, at its simplest: POST the client-credentials grant with the secret
// in the body (client_secret_post, a CORS simple request), then GET the API with the bearer
// token, and write both results (status line and body) into the page. Every click does both
// requests. Settings come from the query string: domain, client_id, client_secret, scope, api.
'use strict';
const params = new URLSearchParams(location.search);
const tokenOut = document.getElementById('token-result');
const apiOut = document.getElementById('api-result');

async function run() {
  tokenOut.textContent = '';
  apiOut.textContent = '';
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: params.get('client_id'),
    client_secret: params.get('client_secret'),
    scope: params.get('scope'),
  });
  const tokenResponse = await fetch(`${params.get('domain')}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const tokenBody = await tokenResponse.text();
  tokenOut.textContent = `${tokenResponse.status} ${tokenResponse.statusText}\n${tokenBody}`;
  if (!tokenResponse.ok) return;
  const token = JSON.parse(tokenBody).access_token;
  const apiResponse = await fetch(params.get('api'), {
    headers: { Authorization: `Bearer ${token}` },
  });
  const apiBody = await apiResponse.text();
  apiOut.textContent = `${apiResponse.status} ${apiResponse.statusText}\n${apiBody}`;
}

document.getElementById('run').addEventListener('click', () => {
  run().catch((e) => {
    apiOut.textContent = `failed: ${e}`;
  });
});
