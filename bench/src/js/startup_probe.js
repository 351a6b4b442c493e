// Installed with the DevTools command Page.addScriptToEvaluateOnNewDocument, so it runs in
// every new document of the window before any of the page's own scripts (the page's CSP does
// not apply to it). It records, on the page's performance.now() clock (0 = navigation start):
//   startedAt  Trunk's loader fired TrunkApplicationStarted (wasm instantiated, main() returned)
//   formAt     form.settings was first in the document (MutationObserver callback)
//   freeAt     the first task after that ran: the main thread was free again, so the form's
//              inputs (their listeners attached before Leptos inserted the form) take input
//   partsAt    every panel's wasm part had loaded (each .part's data-state, src/ui/parts.rs)
(() => {
  const t = { startedAt: null, formAt: null, freeAt: null, partsAt: null, inputs: 0 };
  window.__benchStartup = t;
  addEventListener('TrunkApplicationStarted', () => { t.startedAt = performance.now(); });
  const observer = new MutationObserver(() => {
    const form = document.querySelector('form.settings');
    if (!form) return;
    t.formAt = performance.now();
    observer.disconnect();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      t.freeAt = performance.now();
      t.inputs = form.querySelectorAll('input:not([disabled]), select:not([disabled]), textarea:not([disabled])').length;
    };
    channel.port2.postMessage(0);
  });
  observer.observe(document, { childList: true, subtree: true });
  const parts = new MutationObserver(() => {
    const all = document.querySelectorAll('.part');
    if (all.length === 0 || [...all].some((p) => p.dataset.state !== 'loaded')) return;
    t.partsAt = performance.now();
    parts.disconnect();
  });
  parts.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
})();
