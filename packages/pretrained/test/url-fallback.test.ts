// A base URL served by a single-page-app server answers a missing file with its index.html (HTTP
// 200): urlSource must read that as "no such file", not hand HTML to a JSON or safetensors reader.
import { describe, expect, it } from 'vitest';
import { urlSource } from '../src/index.js';

const files = new Map<string, [string, string]>([
  ['config.json', ['application/json', '{"model_type":"gpt2"}']],
  ['vocab.json', ['application/json; charset=utf-8', '{}']],
]);
const spa = (url: string): Promise<Response> => {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const [type, body] = files.get(name) ?? ['text/html', '<!doctype html><title>app</title>'];
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': type } }));
};

describe('urlSource behind a single-page-app fallback', () => {
  it('sees the files that exist and not the ones answered with the fallback page', async () => {
    const source = urlSource('https://models.test/gpt/', { fetch: spa });
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('vocab.json')).toBe(true);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(new TextDecoder().decode(await source.read('config.json'))).toBe('{"model_type":"gpt2"}');
  });
});
