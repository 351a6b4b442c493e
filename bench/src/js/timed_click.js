// Clicks a button in the page and times, on the page's own clock, until both result panels
// show "200 OK" — so WebDriver round trips are not part of the figure.
// arguments: button name, token panel selector, API panel selector, a "midway" selector and
// needle (null: none), whether to record long tasks, timeout ms, a part of the API's
// URL (to tell its request from the key-set fetch), then the callback.
// It also reports when each request went out and when its answer had arrived (Resource Timing:
// startTime and responseEnd, which cross-origin entries expose without Timing-Allow-Origin), so
// the run can be split into the page's own work and the time on the wire.
const [buttonName, tokenSel, apiSel, midSel, midNeedle, longTasks, timeoutMs, apiPart] = arguments;
const done = arguments[arguments.length - 1];
const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === buttonName);
const tok = document.querySelector(tokenSel);
const api = document.querySelector(apiSel);
if (!button || !tok || !api) {
  done({ error: `missing: ${!button ? 'button ' + buttonName : ''} ${!tok ? tokenSel : ''} ${!api ? apiSel : ''}` });
  return;
}
const has = (el) => el.textContent.includes('200 OK');
const tasks = [];
let taskObserver = null;
if (longTasks) {
  taskObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  });
  taskObserver.observe({ type: 'longtask', buffered: false });
}
// A new result, not the previous run's: the API panel's text must have changed since the click
// (the plain page clears it first; the app, when both answers come within 100 ms, draws the new
// one over the old, and its text differs: the emulator's x-amzn-requestid is new every time).
const before = api.textContent;
let moved = false;
let finished = false;
let mid = null;
let t0 = 0;
const check = () => {
  if (finished) return;
  if (!moved) {
    if (api.textContent === before) return;
    moved = true;
  }
  if (midSel && mid === null) {
    const m = document.querySelector(midSel);
    if (m && m.textContent.includes(midNeedle)) mid = performance.now();
  }
  if (has(tok) && has(api)) finish(performance.now());
};
const observer = new MutationObserver(check);
const timer = setTimeout(() => {
  finished = true;
  observer.disconnect();
  if (taskObserver) taskObserver.disconnect();
  done({ error: 'timeout', token: tok.textContent.slice(0, 400), api: api.textContent.slice(0, 400) });
}, timeoutMs);
// The requests this run sends: the token request (…/oauth2/token), then the API call. Each entry's
// time includes any CORS preflight and connection set-up before the request itself.
const requests = () => {
  const fetches = performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'fetch' && e.startTime >= t0)
    .sort((a, b) => a.startTime - b.startTime);
  const token = fetches.find((e) => e.name.includes('/oauth2/token'));
  const api = token && fetches.find((e) => e.startTime >= token.startTime && e !== token && e.name.includes(apiPart));
  const at = (e) => (e ? { start: e.startTime - t0, end: e.responseEnd - t0 } : null);
  return { token: at(token), api: at(api) };
};
const finish = (t1) => {
  finished = true;
  observer.disconnect();
  clearTimeout(timer);
  const notice = document.querySelector('.verdict .notice');
  const summary = api.querySelector('.summary');
  const result = {
    ms: t1 - t0,
    midMs: mid === null ? null : mid - t0,
    notice: notice ? notice.textContent : '',
    apiSummary: summary ? summary.textContent : api.textContent.slice(0, 200),
    apiChars: api.textContent.length,
  };
  // The API's entry is in the timeline before its body reaches the page; read both a task later anyway.
  if (!taskObserver) { setTimeout(() => { result.requests = requests(); done(result); }, 0); return; }
  // Let the frames after the update run (layout and paint of the new content), then report
  // every long task that started between the click and then.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    for (const e of taskObserver.takeRecords()) tasks.push({ start: e.startTime, duration: e.duration });
    taskObserver.disconnect();
    result.longTasks = tasks.filter((x) => x.start >= t0);
    result.settledMs = performance.now() - t0;
    result.requests = requests();
    done(result);
  }, 300)));
};
observer.observe(document.body, { childList: true, subtree: true, characterData: true });
// A run's two entries among hundreds: the buffer keeps 250 by default and then drops new ones.
performance.clearResourceTimings();
t0 = performance.now();
button.click();
check();
