#!/usr/bin/env bash
# `make deploy BUCKET=… [PREFIX=…] [PUBLIC_URL=…]`: build the release dist/ and upload it to S3.
#
# Each file gets an explicit Content-Type (a bare `aws s3 sync` has uploaded .wasm as binary/octet-stream, which
# breaks streaming compilation) and a Cache-Control: index.html is revalidated on every visit, the content-hashed
# assets Trunk writes (name-<16 hex>.ext) are immutable. index.html goes up LAST, so a visitor never gets an index
# naming files not uploaded yet; then hashed files that the new index no longer needs are removed.
#
# Environment: BUCKET (required), PREFIX (a folder in the bucket), PUBLIC_URL (the URL to print, e.g. the
# CloudFront one), SKIP_BUILD=1 (upload DIST_DIR as it is), DIST_DIR (default: dist/ beside this folder),
# AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL (e.g. a local S3 emulator).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist="${DIST_DIR:-$repo/dist}"
bucket="${BUCKET:-}"
prefix="${PREFIX:-}"
public_url="${PUBLIC_URL:-}"

fail() { # what happened, then what to do
  printf 'deploy: %s\n  hint: %s\n' "$1" "$2" >&2
  exit 1
}
say() { printf 'deploy: %s\n' "$*"; }
oneline() { printf '%s' "$1" | tr -s '\n\t ' '   ' | sed 's/^ //; s/ $//'; } # an aws error, for one message line

# Trunk's content hash: 16 hex digits before the extension (wasm-bindgen adds `_bg` before .wasm).
hashed_re='^[A-Za-z0-9._-]+-[0-9a-f]{16}(_bg)?\.[A-Za-z0-9]+$'
is_hashed() { [[ "$1" =~ $hashed_re ]]; }

# 1. Arguments and tools, before anything slow.
[ -n "$bucket" ] || fail "no BUCKET given." "make deploy BUCKET=my-site-bucket [PREFIX=folder] [PUBLIC_URL=https://…]"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] \
  || fail "\"$bucket\" is not an S3 bucket name." "Give the bucket's name only (lowercase letters, digits, dots, hyphens), not s3:// or a URL."
prefix="${prefix#/}"; prefix="${prefix%/}"
[[ -z "$prefix" || ( "$prefix" =~ ^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$ && "$prefix" != *..* ) ]] \
  || fail "PREFIX \"$prefix\" is not a plain folder name." "Use letters, digits, '.', '_', '-', '~' and '/' only, e.g. PREFIX=qa/cognito-tester."
key_base="${prefix:+$prefix/}"

command -v aws >/dev/null 2>&1 \
  || fail "the AWS CLI (aws) is not on PATH." "Install it (pip install awscli, or AWS CLI v2); \`make test-deploy\` puts one in .tools/venv/bin."

aws_args=()
[ -n "${AWS_REGION:-}" ] && aws_args+=(--region "$AWS_REGION")
[ -n "${AWS_ENDPOINT_URL:-}" ] && aws_args+=(--endpoint-url "$AWS_ENDPOINT_URL")
awsc() { aws "${aws_args[@]}" "$@"; }

# 2. Credentials. A local emulator (AWS_ENDPOINT_URL) may not implement STS: there a failure is only a warning.
if ! sts_error=$(awsc sts get-caller-identity --output text 2>&1 >/dev/null); then
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
    say "warning: could not check credentials against $AWS_ENDPOINT_URL (carrying on): $(oneline "$sts_error")"
  else
    fail "no usable AWS credentials${AWS_PROFILE:+ for profile \"$AWS_PROFILE\"}: $(oneline "$sts_error")" \
      "Run \`aws configure\` or \`aws sso login --profile NAME\` and set AWS_PROFILE=NAME, or export AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."
  fi
fi

# 3. The bucket must exist and be ours.
if ! head_error=$(awsc s3api head-bucket --bucket "$bucket" 2>&1 >/dev/null); then
  case "$head_error" in
    *404*|*NotFound*|*NoSuchBucket*)
      fail "bucket \"$bucket\" does not exist${AWS_ENDPOINT_URL:+ at $AWS_ENDPOINT_URL}." \
        "Create it (aws s3 mb s3://$bucket), or deploy deploy/cloudfront.yaml and use its BucketName output." ;;
    *403*|*Forbidden*|*AccessDenied*)
      fail "bucket \"$bucket\" exists but these credentials may not use it." \
        "Check the bucket name (names are global) and that your role may s3:ListBucket and s3:PutObject on it." ;;
    *)
      fail "could not reach bucket \"$bucket\": $(oneline "$head_error")" "Check AWS_REGION, AWS_PROFILE and the network." ;;
  esac
fi

# 4. The build. Under a PREFIX the page must load its assets from /PREFIX/, so Trunk gets that public URL.
if [ "${SKIP_BUILD:-}" != 1 ]; then
  say "building the release dist/ (make dist)"
  if [ -n "$prefix" ]; then
    TRUNK_BUILD_PUBLIC_URL="/$prefix/" make -C "$repo" dist
  else
    make -C "$repo" dist
  fi
fi
[ -f "$dist/index.html" ] || fail "no index.html in $dist." "Run make dist first, or unset SKIP_BUILD."

# 5. What the new index.html needs: every hashed file it names must be in dist/ and be reachable from the prefix.
referenced=$(grep -oE '(src|href)="[^"]*"' "$dist/index.html" | sed -E 's/^(src|href)="//; s/"$//' || true)
needed=()
while IFS= read -r ref; do
  [ -n "$ref" ] || continue
  name="${ref##*/}"; name="${name%%[?#]*}"
  is_hashed "$name" || continue
  needed+=("$name")
  [ -f "$dist/$name" ] || fail "index.html names $name, which is not in $dist." "Rebuild: make dist (a partial build?)."
  dir="${ref%"$name"*}"
  case "$dir" in
    ""|./|"/$key_base"|http://*|https://*) ;;
    *) fail "index.html loads $name from \"$dir\", but the site lives at /$key_base." \
         "Rebuild for this PREFIX: drop SKIP_BUILD=1 (deploy.sh passes TRUNK_BUILD_PUBLIC_URL=/$key_base to make dist)." ;;
  esac
done <<< "$referenced"

content_type() {
  case "$1" in
    *.html) echo "text/html; charset=utf-8" ;;
    *.wasm) echo "application/wasm" ;;
    *.js|*.mjs) echo "text/javascript" ;;
    *.css) echo "text/css" ;;
    *.json|*.map) echo "application/json" ;;
    *.svg) echo "image/svg+xml" ;;
    *.png) echo "image/png" ;;
    *.ico) echo "image/x-icon" ;;
    *.txt) echo "text/plain; charset=utf-8" ;;
    *.webmanifest) echo "application/manifest+json" ;;
    *) echo "application/octet-stream" ;;
  esac
}
immutable="public, max-age=31536000, immutable"
upload() { # relative path in dist, cache-control
  local rel="$1" cache="$2" type
  type=$(content_type "$rel")
  printf '  %-52s %-26s %s\n' "$key_base$rel" "$type" "$cache"
  awsc s3 cp "$dist/$rel" "s3://$bucket/$key_base$rel" --only-show-errors \
    --content-type "$type" --cache-control "$cache" \
    || fail "upload of $rel failed." "See the aws error above; the old site is still whole (index.html was not replaced)."
}

# 6. Upload: hashed assets, then other files, then index.html.
mapfile -t files < <(cd "$dist" && find . -type f ! -name index.html -printf '%P\n' | LC_ALL=C sort)
target="s3://$bucket/$key_base"
say "uploading $dist to $target${AWS_ENDPOINT_URL:+ at $AWS_ENDPOINT_URL}"
for rel in "${files[@]}"; do
  if is_hashed "$rel"; then upload "$rel" "$immutable"; fi
done
for rel in "${files[@]}"; do
  if ! is_hashed "$rel"; then upload "$rel" "no-cache"; fi
done
upload index.html "no-cache"

# 7. Remove hashed files directly under the prefix that neither the new index nor the new dist/ has.
#    Only names matching the hash pattern are ever touched; anything else in the bucket stays.
keep=" ${needed[*]:-} ${files[*]:-} "
listing=$(awsc s3api list-objects-v2 --bucket "$bucket" ${prefix:+--prefix "$key_base"} \
  --query 'Contents[].Key' --output text) || fail "could not list $target to find old files." "The new site is up; old hashed files were kept."
stale=()
while IFS= read -r key; do
  case "$key" in ""|None) continue ;; esac
  rel="${key#"$key_base"}"
  is_hashed "$rel" || continue # also skips deeper folders: the pattern has no slash
  [[ "$keep" == *" $rel "* ]] && continue
  say "removing stale $key"
  stale+=("{\"Key\":\"$key\"}") # safe in JSON: hashed names and PREFIX are plain characters
done < <(printf '%s\n' "$listing" | tr '\t' '\n')
if [ ${#stale[@]} -gt 0 ]; then
  objects=$(IFS=,; echo "${stale[*]}")
  not_deleted=$(awsc s3api delete-objects --bucket "$bucket" --delete "{\"Objects\":[$objects],\"Quiet\":true}" \
    --query 'Errors[].Key' --output text) || not_deleted="(all of them)"
  case "$not_deleted" in ""|None) ;; *)
    fail "could not delete old files: $not_deleted" "The new site is up; delete them by hand if you like." ;;
  esac
fi
say "uploaded $(( ${#files[@]} + 1 )) files, removed ${#stale[@]} stale"

# 8. Where to open it.
if [ -n "$public_url" ]; then
  say "site: $public_url"
else
  region=$(awsc s3api get-bucket-location --bucket "$bucket" --query LocationConstraint --output text 2>/dev/null || true)
  case "$region" in ""|None|null) region="${AWS_REGION:-us-east-1}" ;; EU) region=eu-west-1 ;; esac
  # The oldest regions name the website endpoint with a dash, the others with a dot.
  case "$region" in
    us-east-1|us-west-1|us-west-2|eu-west-1|ap-southeast-1|ap-southeast-2|ap-northeast-1|sa-east-1|us-gov-west-1)
      host="$bucket.s3-website-$region.amazonaws.com" ;;
    *) host="$bucket.s3-website.$region.amazonaws.com" ;;
  esac
  say "site: http://$host/$key_base"
  say "note: S3 website endpoints are HTTP only; for HTTPS put CloudFront in front (deploy/cloudfront.yaml) and pass PUBLIC_URL."
  if ! awsc s3api get-bucket-website --bucket "$bucket" >/dev/null 2>&1; then
    say "note: the bucket has no website configuration; enable it with: aws s3 website s3://$bucket --index-document index.html (and allow public reads)"
  fi
fi
