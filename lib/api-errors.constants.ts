/** Injection token of the resolved, frozen options. */
export const API_ERRORS_OPTIONS = Symbol('API_ERRORS_OPTIONS');
