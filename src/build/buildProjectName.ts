/** CodeBuild project names: a letter or digit, then up to 254 of `[A-Za-z0-9-_]`. */
const MAX_PROJECT_NAME = 255;

/**
 * The CodeBuild project that builds a repository in a stage: `<app>-<stage>-<repository>` with every run
 * of other characters (the `/` of `team/app`) turned into `-`. The release workflow passes it to
 * `portcullis build start --project`, and the stack outputs it.
 * @example buildProjectName("portcullis", "prod", "shop/web") // => "portcullis-prod-shop-web"
 */
export function buildProjectName(app: string, stage: string, repository: string): string {
  const name = `${app}-${stage}-${repository}`.replace(/[^A-Za-z0-9_-]+/g, "-");
  return name.slice(0, MAX_PROJECT_NAME);
}
