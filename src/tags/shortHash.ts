const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Eight hex characters identifying a string (32-bit FNV-1a over its UTF-16 code units). Pure and
 * dependency-free; used only to keep truncated tags of different long names apart, not for security.
 * @example shortHash("feature/x") // => "1573876a" (stable across runs and platforms)
 */
export function shortHash(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
