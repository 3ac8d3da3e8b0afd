import type { CheckRunAnnotation } from "./CheckRunRender.ts";
import { CHECK_RUN_LIMITS } from "./CheckRunRender.ts";
import { clipLine } from "./fitText.ts";
import type { DecisionDetails } from "./readDecision.ts";

/**
 * One `failure` annotation per blocking finding, on line 1 of `path` (findings have no source line; the
 * Dockerfile is where a base image or package is chosen). Every annotation is returned: the GitHub adapter
 * sends them at most 50 per request. Plain text: annotations are not markdown.
 */
export function renderAnnotations(details: DecisionDetails, path: string): CheckRunAnnotation[] {
  if (details.kind !== "verdict") return [];
  return details.summary.blocking.items.map((f) => {
    const pkg = [f.package, f.installed].filter((v) => v !== null).join(" ");
    const fix = f.fixedIn === null ? "no fixed version known" : `fixed in ${f.fixedIn}`;
    const message = [
      `${f.severity} ${f.id} in ${pkg || "an unnamed package"}: ${fix}.`,
      `Platforms: ${f.platforms.join(", ")}.`,
    ];
    if (f.link) message.push(f.link);
    return {
      path,
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
      title: clipLine(`${f.id} (${f.severity}, ${f.fixability})`, CHECK_RUN_LIMITS.annotationTitleChars),
      message: message.join("\n"),
      ...(f.title && { raw_details: f.title }),
    } satisfies CheckRunAnnotation;
  });
}
