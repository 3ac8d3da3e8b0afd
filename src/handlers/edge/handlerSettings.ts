import { type HandlerSettings, handlerDefaults } from "../HandlerDeps.ts";

/** The settings with every optional value that has a default filled in. */
export type ResolvedSettings = HandlerSettings &
  Required<Pick<HandlerSettings, keyof typeof handlerDefaults>>;

/** Fills in the optional settings from {@link handlerDefaults}. */
export function resolveSettings(settings: HandlerSettings): ResolvedSettings {
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return { ...handlerDefaults, ...given } as ResolvedSettings;
}
