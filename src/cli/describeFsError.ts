const FS_REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
};

/**
 * Why a file could not be read, in the CLI's words: `no such file`, `it is a directory`, `permission denied`,
 * else the error's own message.
 * @example `cannot read ${path}: ${describeFsError(error)}`
 */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && FS_REASONS[code]) return FS_REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
