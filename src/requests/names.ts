/**
 * Names the support-request and status flows use. The engine knows them when it loads flows (like
 * built-in actions); startApp registers the implementations (createRequestsModule), which need keys.
 */
export const REQUEST_VALIDATORS = ['national_id', 'residence', 'document', 'request_reference', 'id_last4'] as const;
export const REQUEST_OPTION_SOURCES = ['service_area_centres'] as const;
export const REQUEST_ACTIONS = [
  'requests.check_eligibility',
  'requests.find_open',
  'requests.submit',
  'requests.my_status',
  'requests.lookup_status',
  'requests.add_info',
] as const;
