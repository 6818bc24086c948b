/** Test IDs shared by the component tests and the browser tests' page objects. */
export const testIds = {
  appConfig: {
    container: 'data-testid traceway-config',
    field: (key: string) => `data-testid traceway-config-${key}`,
    submit: 'data-testid traceway-config-submit',
    error: 'data-testid traceway-config-error',
  },
  searchPage: {
    container: 'data-testid traceway-search-page',
    traceIdInput: 'data-testid traceway-search-trace-id',
    openTrace: 'data-testid traceway-search-open-trace',
  },
  tracePage: {
    container: 'data-testid traceway-trace-page',
    traceId: 'data-testid traceway-trace-id',
    header: 'data-testid traceway-trace-header',
    fact: (label: string) => `data-testid traceway-trace-fact-${label.toLowerCase()}`,
    explore: 'data-testid traceway-trace-explore',
    loading: 'data-testid traceway-trace-loading',
    notFound: 'data-testid traceway-trace-not-found',
    error: 'data-testid traceway-trace-error',
    warnings: 'data-testid traceway-trace-warnings',
  },
  serviceMapPage: {
    container: 'data-testid traceway-service-map-page',
  },
  waterfallPanel: {
    container: 'data-testid traceway-waterfall-panel',
  },
  serviceMapPanel: {
    container: 'data-testid traceway-servicemap-panel',
  },
  noData: 'data-testid traceway-no-data',
};
