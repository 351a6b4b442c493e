// Clicks a button in the page and times, on the page's own clock, until both result panels
// show "200 OK" — so WebDriver round trips are not part of the figure.
// arguments: button name, token panel selector, API panel selector, a "midway" selector and
// needle (the token step is done), whether to record long tasks, timeout ms, then the callback.
const [buttonName, tokenSel, apiSel, midSel, midNeedle, longTasks, timeoutMs] = arguments;
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
let cleared = false;
let finished = false;
let mid = null;
let t0 = 0;
const check = () => {
  if (finished) return;
  // A new result, not the previous run's: the API panel must first lose its "200 OK".
  if (!cleared) {
    if (has(api)) return;
    cleared = true;
  }
  if (mid === null) {
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
  if (!taskObserver) { done(result); return; }
  // Let the frames after the update run (layout and paint of the new content), then report
  // every long task that started between the click and then.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    for (const e of taskObserver.takeRecords()) tasks.push({ start: e.startTime, duration: e.duration });
    taskObserver.disconnect();
    result.longTasks = tasks.filter((x) => x.start >= t0);
    result.settledMs = performance.now() - t0;
    done(result);
  }, 300)));
};
observer.observe(document.body, { childList: true, subtree: true, characterData: true });
t0 = performance.now();
button.click();
check();
