/**
 * The single-table design of the release state table, shared by the CDK stack, the local pipeline and the
 * tests so the deployed table and the one dynalite serves are the same.
 *
 * | item               | pk                                   | sk                  |
 * |--------------------|--------------------------------------|---------------------|
 * | candidate          | `C#<region>#<repository>#<digest>`   | `STATE`             |
 * | side-effect claim  | `C#<region>#<repository>#<digest>`   | `EFFECT#<name>`     |
 * | child → candidate  | `I#<region>#<repository>#<child>`    | `C#<index digest>`  |
 * | child scan         | `I#<region>#<repository>#<child>`    | `SCAN`              |
 * | tag history        | `R#<region>#<repository>`            | `TAG#<tag>`         |
 *
 * Candidates carry `phase`/`due` in the `byPhase` index so the reconciler finds the ones waiting too long
 * without a scan, or whose side effects are not confirmed yet. Finished items expire through `expiresAt`
 * (TTL, epoch seconds). A tag history lists the digests a promotion tag pointed at, newest last, so a
 * demotion can move the tag back to the previous passing digest.
 */
export const TableDesign = {
  partitionKey: "pk",
  sortKey: "sk",
  phaseIndex: { name: "byPhase", partitionKey: "phase", sortKey: "due" },
  ttlAttribute: "expiresAt",
} as const;
