// The page's memory now: JS heap in use (exact with --enable-precise-memory-info), the wasm
// linear memory, DOM element count, and the canary's run count from its summary line.
// The wasm memory: Trunk's loader puts the wasm-bindgen module on window.wasmBindings; its
// initSync() returns the already-instantiated exports (it instantiates nothing once started),
// and the exports include `memory`, the module's WebAssembly.Memory.
const b = window.wasmBindings;
const exports = b && typeof b.initSync === 'function' ? b.initSync() : null;
const summary = document.querySelector('.canary-summary');
const runs = summary ? parseInt(summary.textContent, 10) : 0;
return {
  heap: performance.memory ? performance.memory.usedJSHeapSize : null,
  wasm: exports && exports.memory ? exports.memory.buffer.byteLength : null,
  nodes: document.getElementsByTagName('*').length,
  runs: Number.isFinite(runs) ? runs : 0,
  summary: summary ? summary.textContent : '',
  title: document.title,
};
