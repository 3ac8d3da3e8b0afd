import { parseWithSchema, type ValidationIssue } from "../core/index.ts";
import { SettingsError } from "./errors.ts";
import { SETTINGS, type SettingName, type SettingValue } from "./settingSchemas.ts";

/** The settings a function asked for, by name. */
export type Settings<N extends SettingName> = { readonly [K in N]: SettingValue<K> };

/**
 * Reads and validates the named settings from the environment at init. Every missing or invalid variable is
 * reported at once in a {@link SettingsError} that names the variable (`PORTCULLIS_TABLE_NAME: (missing) is
 * required`); values of secret-name variables are names, never secrets, so they may be shown.
 * @example const settings = loadSettings(["tableName", "eventBusName", "primaryRegion"], process.env);
 */
export function loadSettings<const N extends SettingName>(
  names: readonly N[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Settings<N> {
  const values: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const name of names) {
    const setting = SETTINGS[name];
    const raw = env[setting.env];
    const blank = raw !== undefined && raw.trim() === "";
    if (raw === undefined || (blank && !("blankAllowed" in setting))) {
      if (!("optional" in setting))
        issues.push({ field: setting.env, value: undefined, message: "is required" });
      continue;
    }
    const parsed = parseWithSchema(setting.schema, raw.trim(), setting.env);
    if (parsed.ok) values[name] = parsed.value;
    else issues.push(...parsed.error.map((issue) => ({ ...issue, field: issue.field || setting.env })));
  }
  if (issues.length > 0) throw new SettingsError(issues);
  return values as Settings<N>;
}
