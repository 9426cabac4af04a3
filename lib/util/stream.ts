/**
 * A web ReadableStream over an async iterable, pulled on demand: the next chunk is produced only when the client
 * has taken the last one (backpressure), and a client that goes away stops the producer (`return`).
 */
export function toWebStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}
