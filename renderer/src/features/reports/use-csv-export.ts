import { useCallback, useEffect, useRef, useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { downloadTextFile } from './download-file.js';
import { fetchAllRows } from './fetch-all-rows.js';
import { csvDocument } from './report-csv.js';
import { exportFileName, inboundCsv, outboundCsv } from './report-csv-rows.js';
import type { ReportFilter } from './report-filter.js';

export type ExportState = { phase: 'idle' } | { phase: 'running'; done: number; total: number | null } | { phase: 'failed'; error: unknown };

/** Export to CSV: every row of `filter`, page by page with progress, cancellable, then a download. */
export function useCsvExport(): { state: ExportState; start: (filter: ReportFilter) => void; cancel: () => void } {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  // Leaving the screen cancels an export in progress instead of downloading a file nobody waits for.
  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback((filter: ReportFilter) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ phase: 'running', done: 0, total: null });
    const onProgress = (done: number, total: number) => setState({ phase: 'running', done, total });
    void exportCsv(filter, abort.signal, onProgress).then(
      (csv) => {
        if (abort.signal.aborted) return;
        downloadTextFile(exportFileName(filter), csv, 'text/csv;charset=utf-8');
        setState({ phase: 'idle' });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setState({ phase: 'failed', error });
      },
    );
  }, []);

  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState({ phase: 'idle' });
  }, []);

  return { state, start, cancel };
}

async function exportCsv(filter: ReportFilter, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<string> {
  const { type, ...query } = filter;
  if (type === 'outbound') {
    const rows = await fetchAllRows((offset, limit) => callApi('reports.outbound', { ...query, offset, limit }), { signal, onProgress });
    const table = outboundCsv(rows, filter.timeZone);
    return csvDocument(table.header, table.rows);
  }
  const rows = await fetchAllRows((offset, limit) => callApi('reports.inbound', { ...query, offset, limit }), { signal, onProgress });
  const table = inboundCsv(rows, filter.timeZone);
  return csvDocument(table.header, table.rows);
}
