/**
 * The public API method names, with no dependency at all: the sandboxed preload bundles this list to build
 * its named functions. api-contract.ts checks at compile time that it matches the contract exactly.
 */
export const apiMethodNames = [
  'settings.get',
  'settings.update',
  'domains.list',
  'domains.save',
  'domains.remove',
  'domains.testRoute',
  'domains.checkDns',
  'queue.list',
  'queue.get',
  'queue.retry',
  'queue.hold',
  'queue.release',
  'queue.delete',
  'queue.bounce',
  'queue.retryAll',
  'reports.outbound',
  'reports.inbound',
  'stats.summary',
  'stats.queueSeries',
  'stats.queueAges',
  'stats.outcomesByHour',
  'stats.topDeferrals',
  'diagnosis.domain',
  'diagnosis.sourceAddresses',
  'alerts.list',
  'listener.pause',
  'listener.resume',
  'app.info',
  'app.openDataFolder',
  'diagnostics.export',
] as const;

export const eventNameList = ['queue.changed', 'attempt.made', 'listener.status', 'alert.raised', 'app.navigate'] as const;

/** IPC channels between preload and main. */
export const IPC_INVOKE_CHANNEL = 'mx-spool:invoke';
export const IPC_EVENT_CHANNEL = 'mx-spool:event';
