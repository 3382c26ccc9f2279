// The backend switch: every registered backend that initialises here, with cpu as the reference.
import '@qkv/wasm-kernels';
import '@qkv/gpu-kernels';
import { findBackendAsync, listBackends, setBackend } from '@qkv/tensor-core';
import { h } from './ui/dom.js';
import { startWasmThreads } from './wasm-threads.js';
import type { WasmThreads } from './wasm-threads.js';

/** Backends that initialised in this browser, in priority order. */
export const availableBackends: string[] = [];

/** Backends whose results can only be read asynchronously (WebGPU): the Backends page uses them. */
export const asyncOnlyBackends = new Set<string>();

/** The wasm backend's threads on this page (set by initBackends; the Backends page shows them). */
export let wasmThreads: WasmThreads = { count: 1, reason: 'not-isolated' };

/**
 * Initialises every backend (feature detection by trying), starts wasm's worker threads when the
 * page is cross-origin isolated, fills the <select>, and wires it. The interactive pages read
 * results synchronously, so an async-only backend (WebGPU) is listed but disabled there; the
 * Backends page measures it with `await data()`.
 */
export async function initBackends(select: HTMLSelectElement, onChange: () => void): Promise<void> {
  for (const name of listBackends()) {
    try {
      const backend = await findBackendAsync(name);
      availableBackends.push(name);
      if (backend.asyncOnly) asyncOnlyBackends.add(name);
    } catch (err) {
      console.info(`qkv: backend '${name}' is not available here: ${(err as Error).message}`);
    }
  }
  // started whenever wasm is here, since the Backends page measures it whichever backend is chosen
  if (availableBackends.includes('wasm')) wasmThreads = await startWasmThreads();
  const fromUrl = new URLSearchParams(location.search).get('backend');
  const interactive = availableBackends.filter((n) => !asyncOnlyBackends.has(n));
  const start = fromUrl && interactive.includes(fromUrl) ? fromUrl : interactive.includes('wasm') ? 'wasm' : 'cpu';
  await setBackend(start);
  select.replaceChildren(
    ...availableBackends.map((n) =>
      h('option', { value: n, selected: n === start, disabled: asyncOnlyBackends.has(n) }, asyncOnlyBackends.has(n) ? `${n} (async: Backends page)` : n),
    ),
  );
  select.addEventListener('change', () => {
    void setBackend(select.value).then(onChange);
  });
}
