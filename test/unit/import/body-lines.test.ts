import { describe, expect, it } from 'vitest';
import { bodyLines } from '../../../server/http/body-stream.ts';

/** A body that arrives in the given byte pieces, as an upload arrives in network chunks. */
function body(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      controller.close();
    },
  });
}

async function lines(pieces: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of bodyLines(body(pieces))) out.push(line);
  return out;
}

/** Every way of cutting the bytes in two. */
function everyCut(bytes: Buffer): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

describe('bodyLines', () => {
  it('gives the same lines however the UTF-8 bytes are cut into chunks, characters split between chunks included', async () => {
    const text = '{"prompt": "café"}\n{"prompt": "😀 naïve"}\n\nlast without a line end';
    for (const cut of everyCut(Buffer.from(text))) expect(await lines(cut)).toEqual(['{"prompt": "café"}', '{"prompt": "😀 naïve"}', '', 'last without a line end']);
  });

  it('makes bytes that are not UTF-8 the replacement character, as a text decoder does', async () => {
    expect(await lines([Buffer.from([0x61, 0xff, 0x62, 0x0a])])).toEqual(['a\ufffdb']);
  });

  it('joins a line of many chunks whole', async () => {
    const long = 'x'.repeat(100_000);
    const bytes = Buffer.from(`${long}\nshort\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) => bytes.subarray(i * 1000, (i + 1) * 1000));
    expect(await lines(chunks)).toEqual([long, 'short']);
  });
});
