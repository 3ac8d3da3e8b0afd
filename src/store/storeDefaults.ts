/** The store's one default, which the handlers' settings take over (handlerDefaults.maxSaveAttempts). */
export const storeDefaults = {
  /** Conditional writes tried before giving up on a hot item (a candidate, a tag's history). */
  maxSaveAttempts: 8,
} as const;
