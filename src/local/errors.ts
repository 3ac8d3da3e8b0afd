/** Tools the local pipeline needs are missing and cannot be installed here. */
export class MissingToolsError extends Error {
  override readonly name = "MissingToolsError";
  constructor(
    readonly tools: readonly string[],
    readonly packages: readonly string[],
    reason: string,
  ) {
    super(
      `missing ${tools.join(", ")} (${reason}). Install them, e.g. on Debian/Ubuntu:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`,
    );
  }
}

/** A local service (registry, dynalite) did not start. */
export class ServiceStartError extends Error {
  override readonly name = "ServiceStartError";
  constructor(
    readonly service: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} did not start: ${detail}`, options);
  }
}

/** The build script failed; `log` is where its output went. */
export class BuildError extends Error {
  override readonly name = "BuildError";
  constructor(
    readonly exitCode: number | null,
    readonly log: string,
    readonly tail: string,
  ) {
    super(`the build script exited with ${exitCode ?? "a signal"} (full output: ${log}):\n${tail}`);
  }
}

/** A scenario (findings folder) cannot be used; `issues` name each file and field. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    readonly folder: string,
    readonly problems: readonly string[],
  ) {
    super(`scenario ${folder}:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  }
}

/** The run was interrupted (Ctrl-C): it stopped after the work in flight settled. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(readonly during: string) {
    super(`interrupted during ${during}`);
  }
}

/** Another live run holds the state folder's lock. */
export class StateLockedError extends Error {
  override readonly name = "StateLockedError";
  constructor(
    readonly pid: number,
    readonly folder: string,
  ) {
    super(`another run (pid ${pid}) is using ${folder}: wait for it to finish or stop it (Ctrl-C)`);
  }
}

/** `--local` over a state folder no local run has written a table into. */
export class NoLocalStateError extends Error {
  override readonly name = "NoLocalStateError";
  constructor(readonly folder: string) {
    super(
      `${folder}/table does not exist: run the local pipeline first (\`npm start\`), or name the folder with --state`,
    );
  }
}
