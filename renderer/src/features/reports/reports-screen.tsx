import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { fieldErrorsFromApi } from '../../ui/field-errors.js';
import { formatCount } from '../../ui/format-number.js';
import { Pager, type PagerWords } from '../../ui/pager.js';
import { checkTimeZone } from '../../ui/time-zones.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { useKeyedState } from '../../ui/use-keyed-state.js';
import { useLinkedParams } from '../../ui/use-linked-params.js';
import { useReplaceRoute } from '../../ui/use-replace-route.js';
import { ExportPanel } from './export-panel.js';
import { InboundTable } from './inbound-table.js';
import { OutboundTable } from './outbound-table.js';
import { lastSevenDays } from './last-seven-days.js';
import { checkDraft, type ReportDraft } from './report-filter.js';
import { ReportFilters, type FilterErrors } from './report-filters.js';
import { canonicalReportHref, reportLinkFromParams, reportPageSizes, reportRouteParams } from './report-route-params.js';
import { emptyMessage, reportCaption } from './report-wording.js';
import { useAttemptRefresh } from './use-attempt-refresh.js';
import { useCsvExport } from './use-csv-export.js';
import { useReportPage } from './use-report-page.js';
import './reports-screen.css';

/** Typed fields (dates, zone) are applied after this pause; choices (type, domain, outcome, page) at once. */
const TYPING_PAUSE_MS = 400;

const pagerWords: PagerWords = { pages: 'Pages', previous: 'Previous', next: 'Next', pageSize: 'Rows per page', pageSizeId: 'report-page-size', rangeTestId: 'page-range' };

/**
 * Reports: Outbound (every delivery attempt with the office server's reply) and Inbound (every session
 * received or refused), by domain, local dates and time zone. Times are shown in the chosen zone. The
 * address holds the applied filter and page (report-route-params.ts), so a reload or a copied link shows
 * the same report.
 */
export function ReportsScreen(props: { params: Record<string, string> }) {
  // A new link (another domain or report type) starts the form over from the link's values.
  const link = useLinkedParams('reports', props.params, canonicalReportHref);
  return <ReportsView key={link.count} params={link.params} />;
}

function ReportsView(props: { params: Record<string, string> }) {
  const [first] = useState(() => reportLinkFromParams(props.params, Date.now()));
  const [draft, setDraft] = useState(first.draft);
  // Until the admin picks dates, they follow the zone: "the last 7 days" ends today *there*.
  const [datesChosen, setDatesChosen] = useState(first.datesChosen);
  const [pageSize, setPageSize] = useState(first.limit);

  const from = useDebouncedValue(draft.from, TYPING_PAUSE_MS);
  const to = useDebouncedValue(draft.to, TYPING_PAUSE_MS);
  const timeZone = useDebouncedValue(draft.timeZone, TYPING_PAUSE_MS);
  const check = checkDraft({ ...draft, from, to, timeZone });
  const filter = check.ok ? check.filter : null;

  // The page belongs to one filter: any change of filter or page size goes back to the first page.
  const [offset, setOffset] = useKeyedState(0, `${JSON.stringify(filter)} ${pageSize}`, first.offset);
  // The applied filter, not the fields as typed: a date half typed or refused leaves the address as it was.
  useReplaceRoute('reports', filter ? reportRouteParams(filter, datesChosen, offset, pageSize) : null);

  const report = useReportPage(filter, offset, pageSize);
  useAttemptRefresh(offset === 0 ? filter : null);
  const domains = useQuery({ queryKey: ['domains.list', {}], queryFn: () => callApi('domains.list', {}) });
  const csvExport = useCsvExport();

  const change = (patch: Partial<ReportDraft>) => {
    const next = { ...draft, ...patch };
    if (patch.from !== undefined || patch.to !== undefined) setDatesChosen(true);
    else if (patch.timeZone !== undefined && !datesChosen) {
      const zone = checkTimeZone(patch.timeZone);
      if (zone.ok) Object.assign(next, lastSevenDays(zone.timeZone, Date.now()));
    }
    setDraft(next);
  };

  const errors: FilterErrors = { ...fieldErrorsFromApi(report.error), ...(check.ok ? {} : check.errors) };
  const data = report.data;
  const busy = report.isFetching;
  return (
    <section aria-labelledby="reports-title" className="reports">
      <h1 id="reports-title">Reports</h1>
      <ReportFilters draft={draft} domains={domains.data?.items.map((domain) => domain.name) ?? []} errors={errors} onChange={change} />
      {domains.isError ? <ErrorNotice error={domains.error} action="Loading the domain list" /> : null}
      {report.isError ? <ErrorNotice error={report.error} action="Loading the report" /> : null}
      {!check.ok ? <p className="hint">Correct the fields marked above to see the report.</p> : null}
      {filter && !data && report.isPending ? <p role="status">Loading…</p> : null}
      {filter && data ? (
        <>
          <div className="report-actions">
            <Pager
              words={pagerWords}
              pageSizes={reportPageSizes}
              formatCount={formatCount}
              announceRange
              offset={data.offset}
              limit={pageSize}
              shown={data.rows.length}
              total={data.total}
              onOffset={(next) => setOffset(() => next)}
              onLimit={setPageSize}
            />
            <button type="button" onClick={() => void report.refetch()} disabled={busy}>
              {busy ? 'Refreshing…' : 'Refresh'}
            </button>
            <ExportPanel state={csvExport.state} disabled={data.total === 0} onStart={() => csvExport.start(data.filter)} onCancel={csvExport.cancel} />
          </div>
          {data.total === 0 ? (
            <p role="status" className="report-empty">
              {emptyMessage(data.filter)}
            </p>
          ) : (
            // Focusable so a keyboard user can scroll a table wider than the window.
            <div className="report-scroll" tabIndex={0} role="region" aria-label="Report rows">
              {data.type === 'outbound' ? (
                <OutboundTable caption={reportCaption(data.filter)} timeZone={data.filter.timeZone} rows={data.rows} offset={data.offset} busy={busy} />
              ) : (
                <InboundTable caption={reportCaption(data.filter)} timeZone={data.filter.timeZone} rows={data.rows} offset={data.offset} busy={busy} />
              )}
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
