// Works off a queue table in leased batches, as the mail and webhook senders do: `claim` takes up to
// `size` due rows (leasing them), `handle` deals with one; `concurrency` rows are handled at a time,
// batch after batch, until nothing is due, `limit` rows were handled or `signal` is aborted (the
// rows claimed so far are finished first).
export const drainInBatches = async <Row>({
  limit,
  batch,
  concurrency,
  claim,
  handle,
  signal,
}: {
  limit: number;
  batch: number;
  concurrency: number;
  /** Claims up to `size` due rows, leasing them. */
  claim: (size: number) => Promise<Row[]>;
  handle: (row: Row) => Promise<void>;
  signal?: AbortSignal | undefined;
}): Promise<void> => {
  let handled = 0;
  while (handled < limit && !signal?.aborted) {
    const claimed = await claim(Math.min(batch, limit - handled));
    if (claimed.length === 0) break;
    handled += claimed.length;
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) await handle(claimed[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
  }
};
