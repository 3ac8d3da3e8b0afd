/**
 * The next page's target from a `Link: <…>; rel="next"` header (RFC 5988), as tag lists and the referrers
 * API paginate. https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const link = Array.isArray(header) ? header[0] : header;
  return link ? /<([^>]+)>;\s*rel="?next"?/.exec(link)?.[1] : undefined;
}
