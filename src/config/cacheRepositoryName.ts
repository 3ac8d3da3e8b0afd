/** Prefix of the repositories holding the buildx registry cache (never scanned, never promoted). */
export const CACHE_REPOSITORY_PREFIX = "portcullis-cache/";

/**
 * The ECR repository that holds an image repository's build cache. Kept apart from the image repository
 * so cache manifests never trigger scans, pipeline events or lifecycle rules meant for images.
 * @example cacheRepositoryName("shop/web") // => "portcullis-cache/shop/web"
 */
export function cacheRepositoryName(repository: string): string {
  return `${CACHE_REPOSITORY_PREFIX}${repository}`;
}
