import { join, resolve } from "node:path";

/** Where the local pipeline keeps its state: one folder (default `.portcullis/`) that `--clean` removes. */
export interface StateLayout {
  readonly root: string;
  /** `registries/<region>/`: each registry's config and data (emptied at the start of every run). */
  registry(region: string): string;
  /**
   * `table/`: the state table (dynalite's LevelDB), reset at the start of every run like the registries and
   * kept after it, for `portcullis status --local` and `history --local`.
   */
  readonly table: string;
  /** buildah's storage (the build cache, kept between runs). */
  readonly buildah: string;
  /** Logs of the services, the build and the handlers. */
  readonly logs: string;
  /** Check-run markdown and Slack previews. */
  readonly reports: string;
  /** The registry processes a run started, recorded as each is spawned, so a later run can stop them. */
  readonly servicesFile: string;
  /**
   * `run.json`: what the last run gated with (the scenario's findings folder and policy file, the account), so
   * `portcullis rollback --local` checks the target against the same findings and policy.
   */
  readonly runFile: string;
  /** Holds the pid of the run using the folder (one run at a time). */
  readonly lockFile: string;
  /** The EC P-256 key the deciding handlers sign verification summaries with (locally, in place of KMS). */
  readonly attestationKey: string;
  /** Its public half, for `portcullis verify --key`. */
  readonly attestationPublicKey: string;
}

/** Defaults for {@link stateLayout}. */
export const stateLayoutDefaults = {
  folder: ".portcullis",
  /** The state table the local pipeline writes (kept in `table/`). */
  tableName: "portcullis-local",
} as const;

/**
 * The state folder's layout, resolved against `cwd`.
 * @example stateLayout(process.cwd()).registry("eu-west-1") // …/.portcullis/registries/eu-west-1
 */
export function stateLayout(cwd: string, folder: string = stateLayoutDefaults.folder): StateLayout {
  const root = resolve(cwd, folder);
  return {
    root,
    registry: (region) => join(root, "registries", region),
    table: join(root, "table"),
    buildah: join(root, "buildah"),
    logs: join(root, "logs"),
    reports: join(root, "reports"),
    servicesFile: join(root, "services.json"),
    runFile: join(root, "run.json"),
    lockFile: join(root, "lock"),
    attestationKey: join(root, "attestation-key.pem"),
    attestationPublicKey: join(root, "attestation-key.pub.pem"),
  };
}
