import { join } from "node:path";
import type { RepositoryConfig } from "../../config/index.ts";
import type { ProgressView } from "../progress/ProgressView.ts";
import type { StateLayout } from "../services/StateLayout.ts";
import type { BuiltImage } from "./BuiltImage.ts";
import { gitInfo } from "./gitInfo.ts";
import { runBuildScript } from "./runBuildScript.ts";

/** What to build and where to push it. */
export interface BuildExampleOptions {
  /** `buildspec/build.sh`. */
  readonly script: string;
  /** The configuration's folder: the repository's context is relative to it, and its git HEAD is built. */
  readonly configDir: string;
  readonly repository: RepositoryConfig;
  /** `127.0.0.1:PORT` of the primary region's registry. */
  readonly primary: string;
  /** The repository URL recorded as the image's source. */
  readonly source: string;
  /** The git ref recorded (the release branch the run pretends to build). */
  readonly ref: string;
  /** The commit recorded instead of HEAD's (a second release of the same tree); 40 lowercase hex. */
  readonly commit?: string;
  readonly layout: StateLayout;
  readonly view: ProgressView;
  /** Ctrl-C: the build script is stopped. */
  readonly signal?: AbortSignal;
}

/**
 * Builds the configured repository with the build script in buildah mode and pushes `sha-<commit>` (HEAD's
 * commit, or a synthetic one without git) to the primary registry, showing the build and push stages.
 * @example const image = await buildExample({ script, configDir, repository, primary, source, ref, layout, view });
 */
export async function buildExample(options: BuildExampleOptions): Promise<BuiltImage> {
  const { repository, view } = options;
  const found = await gitInfo({
    cwd: options.configDir,
    fallback: { ref: options.ref, source: options.source },
  });
  const git = {
    ...found,
    ref: options.ref,
    source: options.source,
    ...(options.commit !== undefined && { commit: options.commit, fromGit: false }),
  };
  const tag = `sha-${git.commit}`;
  const platforms = repository.platforms.join(" + ");
  view.start("build", "build (buildah)", platforms);
  const digest = await runBuildScript({
    script: options.script,
    cwd: options.configDir,
    image: `${options.primary}/${repository.name}`,
    git,
    context: repository.context,
    dockerfile: repository.localDockerfile ?? repository.dockerfile,
    platforms: repository.platforms,
    buildahDir: options.layout.buildah,
    ...(options.signal && { signal: options.signal }),
    logFile: join(options.layout.logs, "build.log"),
    onLine: (line) => {
      if (!line.startsWith("portcullis build: assembling")) return;
      view.done("build", platforms);
      view.start("push", `push ${tag.slice(0, 16)}…`, "OCI index with source, revision, ref");
    },
  });
  view.done("push", `${digest.slice(0, 19)}…${git.fromGit ? "" : " (synthetic commit: no git)"}`);
  return { repository: repository.name, tag, digest, git };
}
