// Clicks the API panel's "Show all" and times, on the page's own clock, until the whole body is
// in the document (its last line and no "Show all" button any more), then until two animation
// frames later (the first frame with it has had its style, layout and paint). Long tasks: those
// that end after the click (the click runs inside this script's own task, which began before it).
// arguments: API panel selector, timeout ms, then the callback.
const [apiSel, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
const api = document.querySelector(apiSel);
const button = api && [...api.querySelectorAll('button')].find((b) => b.textContent.startsWith('Show all'));
if (!button) {
  done({ error: 'no Show all button in ' + apiSel });
  return;
}
const tasks = [];
const taskObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
});
taskObserver.observe({ type: 'longtask', buffered: false });
const body = () => [...api.querySelectorAll('.body')].map((e) => e.textContent).join('');
const drawn = () => ![...api.querySelectorAll('button')].some((b) => b.textContent.startsWith('Show all'))
  && body().trimEnd().endsWith(']');
let finished = false;
let t0 = 0;
const timer = setTimeout(() => {
  finished = true;
  observer.disconnect();
  taskObserver.disconnect();
  done({ error: 'timeout', end: body().slice(-200) });
}, timeoutMs);
const check = () => {
  if (finished || !drawn()) return;
  finished = true;
  const inDom = performance.now() - t0;
  observer.disconnect();
  clearTimeout(timer);
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const painted = performance.now() - t0;
    setTimeout(() => {
      for (const e of taskObserver.takeRecords()) tasks.push({ start: e.startTime, duration: e.duration });
      taskObserver.disconnect();
      done({ inDomMs: inDom, paintedMs: painted, chars: body().length, longTasks: tasks.filter((x) => x.start + x.duration >= t0) });
    }, 300);
  }));
};
const observer = new MutationObserver(check);
observer.observe(api, { childList: true, subtree: true, characterData: true });
t0 = performance.now();
button.click();
check();
