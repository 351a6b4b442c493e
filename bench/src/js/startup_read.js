// Returns the start-up marks of __benchStartup with the navigation and wasm resource timings,
// or null while the form is not yet interactive or a panel's part is still loading.
const t = window.__benchStartup;
if (!t || t.freeAt === null || t.partsAt === null) return null;
const nav = performance.getEntriesByType('navigation')[0] || {};
const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('_bg.wasm')) || {};
return {
  responseEnd: nav.responseEnd ?? null,
  domContentLoaded: nav.domContentLoadedEventEnd ?? null,
  wasmResponseEnd: wasm.responseEnd ?? null,
  startedAt: t.startedAt,
  formAt: t.formAt,
  freeAt: t.freeAt,
  partsAt: t.partsAt,
  inputs: t.inputs,
};
