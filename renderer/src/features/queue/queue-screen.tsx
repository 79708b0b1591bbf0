import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { formatCount } from '../../ui/format-number.js';
import { Pager, type PagerWords } from '../../ui/pager.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { useKeyedState } from '../../ui/use-keyed-state.js';
import { useLinkedParams } from '../../ui/use-linked-params.js';
import { useNow } from '../../ui/use-now.js';
import { useReplaceRoute } from '../../ui/use-replace-route.js';
import { ActionButtons } from './action-buttons.js';
import { ActionStatus } from './action-status.js';
import { MessageDrawer } from './message-drawer.js';
import type { ActionTarget } from './queue-actions.js';
import { QueueFilterBar, type DomainOption } from './queue-filter-bar.js';
import { countMessages } from './queue-format.js';
import { hasFilters, lastPageOffset, listInput, pageSizes } from './queue-list-input.js';
import { canonicalQueueHref, queueLinkFromParams, queueRouteParams } from './queue-route-params.js';
import { QueueTable } from './queue-table.js';
import { useQueueActions } from './use-queue-actions.js';
import './queue.css';

const emptySelection: ReadonlySet<string> = new Set();

/** Typing pauses this long (ms) before the search is sent: one request per word, not per key. */
const SEARCH_DEBOUNCE_MS = 300;

const pagerWords: PagerWords = { pages: 'Queue pages', previous: 'Previous page', next: 'Next page', pageSize: 'Per page', pageSizeId: 'queue-page-size', rangeTestId: 'queue-range' };

/**
 * The queue, one page at a time. Route params (queue-route-params.ts: filters, sort, page, open message)
 * are the first view, and the address follows the view as it changes; following another link to this
 * screen starts over from it.
 */
export function QueueScreen(props: { params: Record<string, string> }) {
  const link = useLinkedParams('queue', props.params, canonicalQueueHref);
  return <QueueView key={link.count} params={link.params} />;
}

function QueueView({ params }: { params: Record<string, string> }) {
  const [first] = useState(() => queueLinkFromParams(params));
  const [filters, setFilters] = useState(first.filters);
  const [sort, setSort] = useState(first.sort);
  const [limit, setLimit] = useState(first.limit);
  const [openId, setOpenId] = useState(first.openId);
  const search = useDebouncedValue(filters.search, SEARCH_DEBOUNCE_MS);
  const asked = { ...filters, search };
  // Another filter, sort or page size starts at the first page; another page starts with nothing selected.
  const pageKey = JSON.stringify([asked, sort, limit]);
  const [offset, setOffset] = useKeyedState(0, pageKey, first.offset);
  const [selected, setSelected] = useKeyedState(emptySelection, `${pageKey}|${offset}`);
  const actions = useQueueActions();
  const now = useNow(30_000);
  useLiveRefresh(['queue.changed'], ['queue.list', 'stats.summary']); // paced: one refresh at a time
  useReplaceRoute('queue', queueRouteParams({ filters: asked, sort, offset, limit, openId }));

  const input = listInput(asked, sort, offset, limit);
  // keepPreviousData: the old page stays on screen (dimmed) until the next one arrives, so nothing flashes.
  const list = useQuery({ queryKey: ['queue.list', input], queryFn: () => callApi('queue.list', input), placeholderData: keepPreviousData });
  const summary = useQuery({ queryKey: ['stats.summary', {}], queryFn: () => callApi('stats.summary', {}) });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  const settledTotal = list.isPlaceholderData ? undefined : list.data?.total;
  useEffect(() => {
    // Mail left the queue while this page was shown and the queue no longer reaches it: go to the last page.
    if (settledTotal !== undefined && offset > 0 && offset >= settledTotal) setOffset(() => lastPageOffset(settledTotal, limit));
  }, [settledTotal, offset, limit, setOffset]);

  const toggle = useCallback((id: string) => setSelected((previous) => toggled(previous, id)), [setSelected]);
  const { reset: resetActions } = actions;
  const open = useCallback(
    (id: string) => {
      resetActions();
      setOpenId(id);
    },
    [resetActions],
  );
  const clearSelection = () => setSelected(() => emptySelection);

  const domainOptions: DomainOption[] = (summary.data?.domains ?? []).map((domain) => ({ domain: domain.domain, count: domain.queued + domain.held }));
  const selectedIds = items.filter((item) => selected.has(item.id)).map((item) => item.id);
  const selectedTarget: ActionTarget | null =
    selectedIds.length === 0 ? null : { selection: { ids: selectedIds }, phrase: selectedIds.length === 1 ? 'the selected message' : `the ${countMessages(selectedIds.length)} selected`, count: selectedIds.length };
  const domainCount = domainOptions.find((option) => option.domain === filters.domain.toLowerCase())?.count ?? null;

  return (
    <section aria-labelledby="queue-title" className="queue-screen">
      <h1 id="queue-title">Queue</h1>
      <QueueFilterBar filters={filters} domains={domainOptions} onChange={setFilters} />
      {filters.domain ? (
        <ActionButtons
          label={`All messages of ${filters.domain}`}
          intro={`${domainPhrase(filters.domain, domainCount, true)}:`}
          target={{ selection: { domain: filters.domain }, phrase: domainPhrase(filters.domain, domainCount, false), count: domainCount }}
          actions={actions}
          onDone={clearSelection}
        >
          <small className="hint">Hold also keeps mail that arrives later for {filters.domain}, until it is released.</small>
        </ActionButtons>
      ) : null}
      {total > 0 ? (
        <ActionButtons
          label="Selected messages"
          intro={selectedIds.length === 0 ? 'Select messages to act on them:' : `${countMessages(selectedIds.length)} selected:`}
          target={selectedTarget}
          actions={actions}
          onDone={clearSelection}
        />
      ) : null}
      <ActionStatus actions={actions} />
      {list.isError ? <ErrorNotice error={list.error} action="Loading the queue" /> : null}
      {list.isPending ? <p>Loading the queue…</p> : null}
      {list.data && total === 0 ? (
        <p className="queue-empty">{hasFilters(asked) ? 'No message matches these filters.' : 'The queue is empty: all mail has been delivered.'}</p>
      ) : null}
      {total > 0 ? (
        <>
          <QueueTable
            items={items}
            sort={sort}
            onSort={setSort}
            selected={selected}
            onToggle={toggle}
            onToggleAll={(all) => setSelected(() => (all ? new Set(items.map((item) => item.id)) : emptySelection))}
            onOpen={open}
            now={now}
            stale={list.isPlaceholderData}
          />
          <Pager
            words={pagerWords}
            pageSizes={pageSizes}
            formatCount={formatCount}
            offset={offset}
            limit={limit}
            shown={items.length}
            total={total}
            onOffset={(next) => setOffset(() => next)}
            onLimit={setLimit}
          />
        </>
      ) : null}
      {openId ? <MessageDrawer id={openId} actions={actions} now={now} onClose={() => setOpenId(null)} /> : null}
    </section>
  );
}

function toggled(selection: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(selection);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** "All 1,234 messages of example.com" (capitalised for the group's intro), or without the count while it is unknown. */
function domainPhrase(domain: string, count: number | null, capital: boolean): string {
  const phrase = count === null ? `all messages of ${domain}` : count === 1 ? `the 1 message of ${domain}` : `all ${countMessages(count)} of ${domain}`;
  return capital ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}
