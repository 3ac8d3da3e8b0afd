#!/usr/bin/env bash
# Portcullis build script: the same steps in CodeBuild (docker buildx) and in the local pipeline (buildah).
#
# Usage: build.sh image | index | all
#   image  build PORTCULLIS_PLATFORM natively and push it by digest (buildx) or into local storage
#          (buildah); prints the platform image reference
#   index  assemble the platform images into one OCI index annotated with source, revision and ref, and
#          push it as sha-<commit>; prints the index digest. In CodeBuild the platform images are read
#          from the batch's platform jobs; elsewhere from PORTCULLIS_PLATFORM_IMAGES
#          (buildx stores SLSA provenance in the index; buildah writes none, and the local pipeline adds
#          the equivalent after this step: src/local/build/attachProvenance.ts)
#   all    image for every platform of PORTCULLIS_PLATFORMS, then index (the local pipeline)
#
# Environment:
#   PORTCULLIS_BUILDER          buildx | buildah
#   PORTCULLIS_IMAGE            repository to push to, without tag: HOST[:PORT]/PATH
#   PORTCULLIS_COMMIT           full 40-hex commit id; the index is tagged sha-<commit>
#   PORTCULLIS_REF              git ref (refs/heads/main), recorded as org.opencontainers.image.ref.name
#   PORTCULLIS_SOURCE_URL       repository URL, recorded as org.opencontainers.image.source
#   PORTCULLIS_CONTEXT          build context (default .), PORTCULLIS_DOCKERFILE relative to it (default Dockerfile)
#   PORTCULLIS_PLATFORM         image step: linux/amd64 or linux/arm64
#   PORTCULLIS_PLATFORMS        platforms of the index (default "linux/amd64 linux/arm64")
#   PORTCULLIS_CACHE            buildx: registry cache repository, one cache-<arch> tag per platform
#   PORTCULLIS_BUILDKIT_IMAGE   buildx: the BuildKit image of the docker-container driver, pinned by digest
#                               (buildx's default would be an anonymous Docker Hub pull)
#   PORTCULLIS_PLATFORM_IMAGES  index step outside CodeBuild: platform image references, space-separated
#   PORTCULLIS_TLS_VERIFY       buildah/skopeo: false for a plain-HTTP registry on loopback (default true)
#
# Progress goes to stderr; stdout carries the result only. Every value from git (ref, URL) is passed as one
# quoted argument and never evaluated.
set -euo pipefail

readonly BUILD_TAG_PREFIX="sha-"
readonly INDEX_MEDIA_TYPE="application/vnd.oci.image.index.v1+json"
DIGEST=""
IMAGES=()

log() { printf 'portcullis build: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# --- input ------------------------------------------------------------------------------------------------

require() {
  local name="$1"
  [[ -n "${!name:-}" ]] || die "$name is not set"
}

check_inputs() {
  require PORTCULLIS_BUILDER
  require PORTCULLIS_IMAGE
  require PORTCULLIS_COMMIT
  case "$PORTCULLIS_BUILDER" in
    buildx | buildah) ;;
    *) die "PORTCULLIS_BUILDER must be buildx or buildah, not \"$PORTCULLIS_BUILDER\"" ;;
  esac
  [[ "$PORTCULLIS_IMAGE" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+$ ]] ||
    die "PORTCULLIS_IMAGE must be HOST[:PORT]/REPOSITORY without tag or digest, not \"$PORTCULLIS_IMAGE\""
  if [[ "$PORTCULLIS_BUILDER" == buildx ]]; then
    require PORTCULLIS_BUILDKIT_IMAGE
    [[ "$PORTCULLIS_BUILDKIT_IMAGE" =~ ^[^@[:space:]]+@sha256:[0-9a-f]{64}$ ]] ||
      die "PORTCULLIS_BUILDKIT_IMAGE must be an image reference pinned by digest (…@sha256:<64 hex>), not \"$PORTCULLIS_BUILDKIT_IMAGE\""
  fi
  if [[ "$PORTCULLIS_BUILDER" == buildx && ! "${PORTCULLIS_IMAGE%%/*}" =~ ^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$ ]]; then
    die "the buildx path pushes to ECR (ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO), not \"$PORTCULLIS_IMAGE\""
  fi
  [[ "$PORTCULLIS_COMMIT" =~ ^[0-9a-f]{40}$ ]] ||
    die "PORTCULLIS_COMMIT must be a full 40-character lowercase commit id, not \"$PORTCULLIS_COMMIT\""
  if [[ -n "${CODEBUILD_RESOLVED_SOURCE_VERSION:-}" && "$CODEBUILD_RESOLVED_SOURCE_VERSION" != "$PORTCULLIS_COMMIT" ]]; then
    die "CodeBuild checked out $CODEBUILD_RESOLVED_SOURCE_VERSION but PORTCULLIS_COMMIT is $PORTCULLIS_COMMIT"
  fi
  local field
  for field in PORTCULLIS_REF PORTCULLIS_SOURCE_URL; do
    [[ "${!field:-}" != *[[:cntrl:]]* ]] || die "$field must not contain control characters"
  done
  PORTCULLIS_CONTEXT="${PORTCULLIS_CONTEXT:-.}"
  PORTCULLIS_DOCKERFILE="${PORTCULLIS_DOCKERFILE:-Dockerfile}"
  PORTCULLIS_PLATFORMS="${PORTCULLIS_PLATFORMS:-linux/amd64 linux/arm64}"
  PORTCULLIS_TLS_VERIFY="${PORTCULLIS_TLS_VERIFY:-true}"
  [[ -d "$PORTCULLIS_CONTEXT" ]] || die "build context \"$PORTCULLIS_CONTEXT\" is not a directory"
  [[ -f "$PORTCULLIS_CONTEXT/$PORTCULLIS_DOCKERFILE" ]] ||
    die "no Dockerfile at \"$PORTCULLIS_CONTEXT/$PORTCULLIS_DOCKERFILE\""
}

check_platform() {
  case "$1" in
    linux/amd64 | linux/arm64) ;;
    *) die "platform must be linux/amd64 or linux/arm64, not \"$1\"" ;;
  esac
}

# Git metadata as NUL-separated `FLAG KEY=VALUE` pairs (labels on every platform image, so register can fall
# back to them when an index carries no annotations). Empty values are left out.
metadata_args() {
  local flag="$1"
  printf '%s\0' "$flag" "org.opencontainers.image.revision=$PORTCULLIS_COMMIT"
  [[ -z "${PORTCULLIS_SOURCE_URL:-}" ]] || printf '%s\0' "$flag" "org.opencontainers.image.source=$PORTCULLIS_SOURCE_URL"
  [[ -z "${PORTCULLIS_REF:-}" ]] || printf '%s\0' "$flag" "org.opencontainers.image.ref.name=$PORTCULLIS_REF"
}

index_tag() { printf '%s:%s%s' "$PORTCULLIS_IMAGE" "$BUILD_TAG_PREFIX" "$PORTCULLIS_COMMIT"; }

# --- docker buildx (CodeBuild) -------------------------------------------------------------------------------

buildx_image() {
  local platform="$1" arch="${1#linux/}" metadata digest
  local -a labels cache=()
  mapfile -d '' labels < <(metadata_args --label)
  if [[ -n "${PORTCULLIS_CACHE:-}" ]]; then
    cache=(--cache-from "type=registry,ref=$PORTCULLIS_CACHE:cache-$arch"
      --cache-to "type=registry,ref=$PORTCULLIS_CACHE:cache-$arch,mode=max,image-manifest=true,oci-mediatypes=true")
  fi
  docker buildx inspect portcullis >/dev/null 2>&1 ||
    docker buildx create --name portcullis --driver docker-container \
      --driver-opt "image=$PORTCULLIS_BUILDKIT_IMAGE" >&2
  metadata="$(mktemp)"
  # Full SLSA provenance (source, commit, build arguments: none here is secret), naming the CodeBuild build as
  # the builder, so a policy can require the index's provenance to name the expected repository and commit.
  local provenance="mode=max"
  [[ -z "${CODEBUILD_BUILD_ARN:-}" ]] || provenance+=",builder-id=$CODEBUILD_BUILD_ARN"
  docker buildx build --builder portcullis \
    --platform "$platform" \
    --file "$PORTCULLIS_CONTEXT/$PORTCULLIS_DOCKERFILE" \
    "${labels[@]}" \
    "${cache[@]}" \
    --provenance "$provenance" \
    --output "type=image,name=$PORTCULLIS_IMAGE,push-by-digest=true,name-canonical=true,push=true,oci-mediatypes=true" \
    --metadata-file "$metadata" \
    "$PORTCULLIS_CONTEXT" >&2
  digest="$(grep -o '"containerimage.digest": *"sha256:[0-9a-f]\{64\}"' "$metadata" | grep -o 'sha256:[0-9a-f]\{64\}' || true)"
  rm -f "$metadata"
  [[ -n "$digest" ]] || die "buildx reported no digest for $platform"
  printf '%s@%s\n' "$PORTCULLIS_IMAGE" "$digest"
}

buildx_index() {
  local tag i
  local -a annotations
  tag="$(index_tag)"
  if ecr_digest "$BUILD_TAG_PREFIX$PORTCULLIS_COMMIT"; then
    log "$tag already exists (build tags are immutable); keeping $DIGEST"
    printf '%s\n' "$DIGEST"
    return
  fi
  mapfile -d '' annotations < <(metadata_args --annotation)
  for ((i = 1; i < ${#annotations[@]}; i += 2)); do annotations[i]="index:${annotations[i]}"; done
  docker buildx imagetools create "${annotations[@]}" --tag "$tag" "$@" >&2
  ecr_digest "$BUILD_TAG_PREFIX$PORTCULLIS_COMMIT" || die "$tag was pushed but ECR does not list it"
  printf '%s\n' "$DIGEST"
}

# Sets DIGEST to what ECR holds for a tag of PORTCULLIS_IMAGE; returns 1 when the tag does not exist.
ecr_digest() {
  local host="${PORTCULLIS_IMAGE%%/*}" repository="${PORTCULLIS_IMAGE#*/}" out
  [[ "$host" =~ ^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$ ]] || die "not an ECR registry: $host"
  if out="$(aws ecr describe-images --registry-id "${BASH_REMATCH[1]}" --region "${BASH_REMATCH[2]}" \
    --repository-name "$repository" --image-ids "imageTag=$1" \
    --query 'imageDetails[0].imageDigest' --output text 2>&1)"; then
    [[ "$out" =~ ^sha256:[0-9a-f]{64}$ ]] || die "ECR answered \"$out\" for the digest of $1"
    DIGEST="$out"
    return 0
  fi
  [[ "$out" == *ImageNotFoundException* ]] && return 1
  die "cannot look up $1 in ECR: $out"
}

# Sets IMAGES to the platform images the batch's image jobs exported (PORTCULLIS_PLATFORM_IMAGE), read
# through the CodeBuild API: this build's batch, its build groups, their exported variables.
codebuild_platform_images() {
  local batch groups arn exported
  local -a arns ids=()
  batch="$(aws codebuild batch-get-builds --ids "$CODEBUILD_BUILD_ID" --query 'builds[0].buildBatchArn' --output text)" ||
    die "cannot read build $CODEBUILD_BUILD_ID"
  [[ "$batch" == *:build-batch/* ]] || die "build $CODEBUILD_BUILD_ID is not part of a batch build"
  groups="$(aws codebuild batch-get-build-batches --ids "${batch#*:build-batch/}" \
    --query 'buildBatches[0].buildGroups[].currentBuildSummary.arn' --output text)" || die "cannot read batch $batch"
  read -r -a arns <<<"${groups//$'\n'/ }"
  for arn in "${arns[@]}"; do
    if [[ "$arn" == *:build/* && "$arn" != *"$CODEBUILD_BUILD_ID" ]]; then ids+=("${arn#*:build/}"); fi
  done
  ((${#ids[@]} > 0)) || die "no platform jobs found in batch $batch"
  # shellcheck disable=SC2016 # the backticks are a JMESPath literal, not a shell expansion
  exported="$(aws codebuild batch-get-builds --ids "${ids[@]}" \
    --query 'builds[].exportedEnvironmentVariables[?name==`PORTCULLIS_PLATFORM_IMAGE`].value[]' --output text)" ||
    die "cannot read the platform jobs of batch $batch"
  read -r -a IMAGES <<<"${exported//$'\n'/ }"
}

# --- buildah (local pipeline) --------------------------------------------------------------------------------

buildah_image() {
  local platform="$1" arch="${1#linux/}" name
  local -a labels annotations
  mapfile -d '' labels < <(metadata_args --label)
  mapfile -d '' annotations < <(metadata_args --annotation)
  name="localhost/portcullis-build/${PORTCULLIS_IMAGE##*/}:$PORTCULLIS_COMMIT-$arch"
  buildah build --isolation chroot \
    --platform "$platform" \
    --file "$PORTCULLIS_CONTEXT/$PORTCULLIS_DOCKERFILE" \
    --format oci \
    "${labels[@]}" \
    "${annotations[@]}" \
    --tag "$name" \
    "$PORTCULLIS_CONTEXT" >&2
  printf '%s\n' "$name"
}

buildah_index() {
  local tag list image added digestfile
  local -a annotations
  tag="$(index_tag)"
  if registry_digest "$tag"; then
    log "$tag already exists (build tags are immutable); keeping $DIGEST"
    printf '%s\n' "$DIGEST"
    return
  fi
  mapfile -d '' annotations < <(metadata_args --annotation)
  list="localhost/portcullis-build/index:$PORTCULLIS_COMMIT-$$"
  buildah manifest create "$list" >/dev/null
  for image in "$@"; do
    added="$(buildah manifest add "$list" "containers-storage:$image")"
    buildah manifest annotate "${annotations[@]}" "$list" "${added##* }" >/dev/null
  done
  digestfile="$(mktemp)"
  buildah manifest push --all --format oci --tls-verify="$PORTCULLIS_TLS_VERIFY" \
    --digestfile "$digestfile" "$list" "docker://$tag" >&2
  buildah manifest rm "$list" >/dev/null || log "could not remove the local list $list"
  buildah rmi "$@" >/dev/null || log "could not remove the local images $*"
  cat "$digestfile"
  echo
  rm -f "$digestfile"
}

# Sets DIGEST to the digest of a tag in a registry (sha256 of the raw manifest skopeo fetches); returns 1
# when the registry says the tag does not exist.
registry_digest() {
  local raw err
  raw="$(mktemp)"
  err="$(mktemp)"
  if ! skopeo inspect --raw --tls-verify="$PORTCULLIS_TLS_VERIFY" "docker://$1" >"$raw" 2>"$err"; then
    if grep -q -i -e 'manifest unknown' -e 'not found' "$err"; then
      rm -f "$raw" "$err"
      return 1
    fi
    die "cannot look up $1: $(cat "$err")"
  fi
  grep -q "$INDEX_MEDIA_TYPE" "$raw" || log "warning: $1 exists but is not an OCI index"
  DIGEST="sha256:$(sha256sum "$raw" | cut -d ' ' -f 1)"
  rm -f "$raw" "$err"
}

# --- steps -------------------------------------------------------------------------------------------------

step_image() {
  local platform="${1:-${PORTCULLIS_PLATFORM:-}}"
  check_platform "$platform"
  log "building $platform of $PORTCULLIS_IMAGE at $PORTCULLIS_COMMIT with $PORTCULLIS_BUILDER"
  "${PORTCULLIS_BUILDER}_image" "$platform"
}

step_index() {
  local -a images
  if (($# > 0)); then
    images=("$@")
  elif [[ -n "${PORTCULLIS_PLATFORM_IMAGES:-}" ]]; then
    read -r -a images <<<"$PORTCULLIS_PLATFORM_IMAGES"
  elif [[ -n "${CODEBUILD_BUILD_ID:-}" ]]; then
    codebuild_platform_images
    images=("${IMAGES[@]}")
  else
    die "no platform images: set PORTCULLIS_PLATFORM_IMAGES"
  fi
  local -a platforms
  read -r -a platforms <<<"$PORTCULLIS_PLATFORMS"
  ((${#images[@]} == ${#platforms[@]})) ||
    die "expected ${#platforms[@]} platform images (${platforms[*]}), got ${#images[@]}: ${images[*]}"
  if [[ "$PORTCULLIS_BUILDER" == buildx ]]; then
    local image
    for image in "${images[@]}"; do
      [[ "$image" =~ ^"$PORTCULLIS_IMAGE"@sha256:[0-9a-f]{64}$ ]] || die "not an image of $PORTCULLIS_IMAGE by digest: \"$image\""
    done
  fi
  log "assembling $(index_tag) from ${images[*]}"
  "${PORTCULLIS_BUILDER}_index" "${images[@]}"
}

step_all() {
  local platform
  local -a platforms images=()
  read -r -a platforms <<<"$PORTCULLIS_PLATFORMS"
  local image
  for platform in "${platforms[@]}"; do
    image="$(step_image "$platform")"
    images+=("$image")
  done
  step_index "${images[@]}"
}

main() {
  local step="${1:-}"
  check_inputs
  case "$step" in
    image) step_image ;;
    index) step_index ;;
    all) step_all ;;
    *) die "usage: build.sh image|index|all (got \"$step\")" ;;
  esac
}

main "$@"
