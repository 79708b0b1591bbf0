import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetchAllRows } from '../../../renderer/src/features/reports/fetch-all-rows.js';

/** A newest-first log that new rows join at the front, as the attempt log does while the export runs. */
function newestFirstLog(count: number) {
  const rows = Array.from({ length: count }, (_, index) => `old-${count - index}`);
  const requests: { offset: number; limit: number }[] = [];
  return {
    requests,
    arrive: (name: string) => rows.unshift(name),
    fetchPage: async (offset: number, limit: number) => {
      requests.push({ offset, limit });
      return { total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
  };
}

test('fetchAllRows reads every page up to the contract limit and reports progress', async () => {
  const log = newestFirstLog(25);
  const progress: string[] = [];
  const rows = await fetchAllRows(log.fetchPage, { signal: new AbortController().signal, onProgress: (done, total) => progress.push(`${done}/${total}`), pageSize: 10 });
  assert.equal(rows.length, 25);
  assert.equal(new Set(rows).size, 25);
  assert.deepEqual(progress, ['10/25', '20/25', '25/25']);
  assert.deepEqual(log.requests, [
    { offset: 0, limit: 10 },
    { offset: 10, limit: 10 },
    { offset: 20, limit: 10 },
  ]);
});

test('rows arriving during the export neither repeat a row nor lose one', async () => {
  const log = newestFirstLog(25);
  let pages = 0;
  const rows = await fetchAllRows(
    async (offset, limit) => {
      if (pages++ > 0) log.arrive(`new-${pages}`); // one new attempt before each later page
      return log.fetchPage(offset, limit);
    },
    { signal: new AbortController().signal, onProgress: () => undefined, pageSize: 10 },
  );
  assert.deepEqual(rows, Array.from({ length: 25 }, (_, index) => `old-${25 - index}`));
});

test('an empty report is one request and no rows', async () => {
  const log = newestFirstLog(0);
  assert.deepEqual(await fetchAllRows(log.fetchPage, { signal: new AbortController().signal, onProgress: () => undefined }), []);
  assert.deepEqual(log.requests, [{ offset: 0, limit: 10_000 }]);
});

test('cancelling stops before the next page', async () => {
  const log = newestFirstLog(30);
  const controller = new AbortController();
  await assert.rejects(
    fetchAllRows(log.fetchPage, { signal: controller.signal, onProgress: () => controller.abort(new Error('cancelled')), pageSize: 10 }),
    /cancelled/,
  );
  assert.equal(log.requests.length, 1);
});
