#!/usr/bin/env bash
# `make deploy BUCKET=… [PREFIX=…] [PUBLIC_URL=…]`: build the release dist/ and upload it to S3.
#
# Each file gets an explicit Content-Type (a bare `aws s3 sync` has uploaded .wasm as binary/octet-stream, which
# breaks streaming compilation) and a Cache-Control: index.html is revalidated on every visit, the content-hashed
# assets (name-<hex hash>.ext: Trunk's, and the post-build hook's) are immutable. Text and wasm files go up gzip-compressed with
# Content-Encoding: gzip (S3 never compresses; every browser accepts gzip; CloudFront passes a stored encoding
# through). index.html goes up LAST, so a visitor never gets an index naming files not uploaded yet. The names
# uploaded are written to a manifest under the prefix (.deploy-manifest); the next deploy removes only names from that
# manifest which it does not upload again — never anything else in the bucket.
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

# Trunk's content hash before the extension (wasm-bindgen adds `_bg` before .wasm): a 64-bit hash in
# hex without leading zeros, so 16 digits or, one build in 16, fewer (8 or more but for 1 in 2^36).
hashed_re='^[A-Za-z0-9._-]+-[0-9a-f]{8,16}(_bg)?\.[A-Za-z0-9]+$'
is_hashed() { [[ "$1" =~ $hashed_re ]]; }

# 1. Arguments and tools, before anything slow.
[ -n "$bucket" ] || fail "no BUCKET given." "make deploy BUCKET=my-site-bucket [PREFIX=folder] [PUBLIC_URL=https://…]"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] \
  || fail "\"$bucket\" is not an S3 bucket name." "Give the bucket's name only (lowercase letters, digits, dots, hyphens), not s3:// or a URL."
prefix="${prefix#/}"; prefix="${prefix%/}"
[[ -z "$prefix" || ( "$prefix" =~ ^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$ && "$prefix" != *..* ) ]] \
  || fail "PREFIX \"$prefix\" is not a plain folder name." "Use letters, digits, '.', '_', '-', '~' and '/' only, e.g. PREFIX=qa/cognito-tester."
key_base="${prefix:+$prefix/}"
manifest_name=.deploy-manifest
# A name deploy.sh uploads, lists in the manifest or deletes: plain characters only, no `.`/`..` segment. This keeps
# every key under the prefix and every manifest line and JSON string free of quoting problems.
safe_re='^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$'
is_safe_name() { [[ "$1" =~ $safe_re ]]; }

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
mapfile -d '' -t files < <(cd "$dist" && find . -type f ! -name index.html -printf '%P\0' | LC_ALL=C sort -z)
for rel in "${files[@]}"; do
  is_safe_name "$rel" && [ "$rel" != "$manifest_name" ] \
    || fail "$dist holds a file named \"$(oneline "$rel")\", which deploy.sh will not upload." \
      "Keep dist/ to what make dist writes: names of letters, digits, '.', '_', '-', '~' (not $manifest_name)."
done

# 5. What the new index.html needs: every hashed file it names must be in dist/ and be reachable from the prefix.
# Quoted or not: a release build's minified page writes href=/x.css without quotes.
referenced=$(grep -oE '(src|href)=("[^"]*"|[^"[:space:]>]+)' "$dist/index.html" | sed -E 's/^(src|href)=//; s/^"//; s/"$//' || true)
while IFS= read -r ref; do
  [ -n "$ref" ] || continue
  name="${ref##*/}"; name="${name%%[?#]*}"
  is_hashed "$name" || continue
  [ -f "$dist/$name" ] || fail "index.html names $name, which is not in $dist." "Rebuild: make dist (a partial build?)."
  dir="${ref%"$name"*}"
  case "$dir" in
    ""|./|"/$key_base"|http://*|https://*) ;;
    *) fail "index.html loads $name from \"$dir\", but the site lives at /$key_base." \
         "Rebuild for this PREFIX: drop SKIP_BUILD=1 (deploy.sh passes TRUNK_BUILD_PUBLIC_URL=/$key_base to make dist)." ;;
  esac
done <<< "$referenced"
# The panels' wasm parts are named only by the split loader (split-*.js), relative to it.
for loader in "$dist"/split-*.js; do
  [ -f "$loader" ] || continue
  names=$(grep -oE '"\./part-[A-Za-z0-9_.-]+\.wasm"' "$loader" | tr -d '"' | sed 's|^\./||' | sort -u || true)
  [ -n "$names" ] || fail "${loader##*/} names no part-*.wasm file: it is not make dist's split loader." "Rebuild: make dist."
  for name in $names; do
    [ -f "$dist/$name" ] || fail "${loader##*/} names $name, which is not in $dist." "Rebuild: make dist (a partial build?)."
  done
done

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
# Stored gzip-compressed: text and wasm (images are compressed already).
compressible() {
  case "$1" in *.html|*.wasm|*.js|*.mjs|*.css|*.json|*.map|*.svg|*.txt|*.webmanifest) return 0 ;; *) return 1 ;; esac
}
immutable="public, max-age=31536000, immutable"
content_sha() { sha256sum "$dist/$1" | cut -d' ' -f1; } # of the file as built, before the upload's gzip
gz_dir=$(mktemp -d)
trap 'rm -rf "$gz_dir"' EXIT
upload() { # relative path in dist, cache-control
  local rel="$1" cache="$2" type src="$dist/$1" encoding=()
  type=$(content_type "$rel")
  if compressible "$rel"; then
    # -n: no name or time stamp in the header, so the same file always uploads the same bytes.
    mkdir -p "$(dirname "$gz_dir/$rel")"
    gzip -9 -n -c "$src" > "$gz_dir/$rel" || fail "could not gzip $rel." "Check free space in ${TMPDIR:-/tmp}."
    src="$gz_dir/$rel"; encoding=(--content-encoding gzip)
  fi
  printf '  %-52s %-26s %-5s %s\n' "$key_base$rel" "$type" "${encoding[1]:--}" "$cache"
  awsc s3 cp "$src" "s3://$bucket/$key_base$rel" --only-show-errors \
    --content-type "$type" --cache-control "$cache" "${encoding[@]}" --metadata "sha256=$(content_sha "$rel")" \
    || fail "upload of $rel failed." "See the aws error above; the old site is still whole (index.html was not replaced)."
}
write_manifest() { # the names, one a line
  printf '%s\n' "$@" | awsc s3 cp - "s3://$bucket/$key_base$manifest_name" --only-show-errors \
    --content-type "text/plain; charset=utf-8" --cache-control no-cache
}

# 6. What an earlier deploy uploaded here (before anything changes). No manifest: nothing will be removed.
target="s3://$bucket/$key_base"
previous=()
if old_manifest=$(awsc s3 cp "$target$manifest_name" - 2>/dev/null); then
  while IFS= read -r name; do
    # Only plain names: the manifest sits in the bucket, and a doctored one must not reach outside the prefix.
    if is_safe_name "$name" && [ "$name" != "$manifest_name" ]; then previous+=("$name"); fi
  done <<< "$old_manifest"
else
  say "no $manifest_name under $target yet: nothing will be removed (files from before it stay; delete them by hand)"
fi

# 7. A hashed name is cached for a year (by CloudFront and by browsers), so it must never be given other bytes: a
#    hashed file already here (from the last deploy) must be the same file. Each upload records the sha256 of the
#    file as built (x-amz-meta-sha256); S3's ETag cannot stand in, since it is no MD5 under SSE-KMS or multipart.
#    Checked for every file before anything is uploaded, so a refused deploy changes nothing.
for rel in "${files[@]}"; do
  is_hashed "$rel" || continue
  [[ " ${previous[*]} " == *" $rel "* ]] || continue
  if ! deployed=$(awsc s3api head-object --bucket "$bucket" --key "$key_base$rel" --query 'Metadata.sha256' --output text 2>&1); then
    case "$deployed" in
      *404*|*"Not Found"*|*NoSuchKey*) continue ;; # listed by the manifest but gone: uploaded afresh
      *) fail "could not read $key_base$rel to compare it with dist/: $(oneline "$deployed")" \
           "Nothing was uploaded. Check the network and that your role may s3:GetObject on the bucket, then deploy again." ;;
    esac
  fi
  case "$deployed" in ""|None) continue ;; esac # uploaded before deploys recorded it: nothing to compare
  [ "$deployed" = "$(content_sha "$rel")" ] \
    || fail "$key_base$rel is already deployed with other bytes; its name is cached for a year, so replacing it would serve visitors a mix of old and new files." \
      "Build dist/ with make dist (a release build names every file after its content) and deploy without SKIP_BUILD=1; a debug build (trunk build, make serve) must never be deployed."
done

# 8. Upload: hashed assets, then other files, then index.html.
say "uploading $dist to $target${AWS_ENDPOINT_URL:+ at $AWS_ENDPOINT_URL}"
for rel in "${files[@]}"; do
  if is_hashed "$rel"; then upload "$rel" "$immutable"; fi
done
for rel in "${files[@]}"; do
  if ! is_hashed "$rel"; then upload "$rel" "no-cache"; fi
done
upload index.html "no-cache"

# 9. Remove what the previous deploy uploaded and this one did not. The manifest first names both, so a failed
#    delete leaves nothing unlisted for the next deploy; then only the new names.
uploaded=(index.html "${files[@]}")
keep=" ${uploaded[*]} "
stale=()
for name in "${previous[@]}"; do
  [[ "$keep" == *" $name "* ]] && continue
  stale+=("$name")
done
write_manifest "${uploaded[@]}" "${stale[@]}" \
  || fail "could not write $target$manifest_name." "The new site is up; nothing was removed. Run make deploy again."
if [ ${#stale[@]} -gt 0 ]; then
  objects=()
  for name in "${stale[@]}"; do
    say "removing stale $key_base$name"
    objects+=("{\"Key\":\"$key_base$name\"}") # safe in JSON: is_safe_name allows no quote or backslash
  done
  joined=$(IFS=,; echo "${objects[*]}")
  not_deleted=$(awsc s3api delete-objects --bucket "$bucket" --delete "{\"Objects\":[$joined],\"Quiet\":true}" \
    --query 'Errors[].Key' --output text) || not_deleted="(all of them)"
  case "$not_deleted" in ""|None) ;; *)
    fail "could not delete old files: $not_deleted" "The new site is up; the manifest still lists them, so the next deploy tries again." ;;
  esac
  write_manifest "${uploaded[@]}" \
    || fail "could not write $target$manifest_name." "The new site is up and the old files are gone; run make deploy again."
fi
say "uploaded $(( ${#files[@]} + 1 )) files, removed ${#stale[@]} stale"

# 10. Where to open it.
http_warning() {
  say "WARNING: the site is plain HTTP (S3 website endpoints are HTTP only). This page handles client secrets and"
  say "  tokens: anyone on the network path (the Wi-Fi, a proxy, the ISP) can read them and change the page itself."
  say "  The browser also withholds WebCrypto (token signature checks) and the clipboard from it. For HTTPS put"
  say "  CloudFront in front (deploy/cloudfront.yaml) and deploy with PUBLIC_URL=<its SiteUrl>."
}
if [ -n "$public_url" ]; then
  say "site: $public_url"
  case "$public_url" in # an http:// URL other than this machine is as exposed as the S3 endpoint
    http://localhost[:/]*|http://localhost|http://127.*) ;;
    http://*) http_warning ;;
  esac
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
  http_warning
  if ! awsc s3api get-bucket-website --bucket "$bucket" >/dev/null 2>&1; then
    say "note: the bucket has no website configuration; enable it with: aws s3 website s3://$bucket --index-document index.html (and allow public reads)"
  fi
fi
