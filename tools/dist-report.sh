#!/usr/bin/env bash
# Prints each file of a release build with its size and gzip size, and the gzip
# total of what the browser loads first (html + js + wasm + css) to draw the form and run. The
# panels' wasm parts (part-*.wasm, tools/split-wasm.sh) are fetched once the form is drawn: they
# are summed on their own line, and bench/size-budget.txt budgets the first load and the two together.
set -euo pipefail
dir="${1:-dist}"
[ -f "$dir/index.html" ] || { echo "dist-report: no $dir/index.html; run make dist" >&2; exit 1; }
total=0; total_gz=0; parts=0; parts_gz=0
printf '%-44s %10s %10s\n' "file" "bytes" "gzip"
while IFS= read -r -d '' f; do
  bytes=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-44s %10d %10d\n' "${f#"$dir"/}" "$bytes" "$gz"
  case "${f##*/}" in
    part-*.wasm) parts=$((parts + bytes)); parts_gz=$((parts_gz + gz)) ;;
    *.html|*.js|*.wasm|*.css) total=$((total + bytes)); total_gz=$((total_gz + gz)) ;;
  esac
done < <(find "$dir" -type f -print0 | sort -z)
printf '%-44s %10d %10d\n' "first load (html+js+wasm+css)" "$total" "$total_gz"
printf '%-44s %10d %10d\n' "panels' parts, after the form is drawn" "$parts" "$parts_gz"
# Every integrity the page gives must be its file's: tools/minify-glue.sh rewrites the glue after
# Trunk hashed it, and a stale hash stops the page loading.
DIR="$dir" perl -MDigest::SHA=sha384_base64 -0777 -ne '
  my $n = 0;
  while (m{<link\b([^>]*)>}g) {
    my $a = $1;
    next unless $a =~ /integrity="?sha384-([A-Za-z0-9+\/=]+)/;
    my $want = $1;
    my ($href) = $a =~ /href="?([^"\s>]+)/ or die "dist-report: a link with an integrity but no href\n";
    (my $name = $href) =~ s{.*/}{};
    open(my $fh, "<:raw", "$ENV{DIR}/$name") or die "dist-report: $name is named in index.html but not in $ENV{DIR}\n";
    local $/; my $got = sha384_base64(<$fh>);
    $got eq $want or die "dist-report: the integrity of $name in index.html is not its content\n";
    $n++;
  }
  $n >= 4 or die "dist-report: expected integrities for the stylesheet, the JS glue, the split loader and the wasm, found $n\n";
' "$dir/index.html"
echo "integrity: every file the page names with an integrity matches it"
# The wasm and the glue are named after their bytes (tools/content-name.sh): deploy caches hashed
# names for a year, so a name must never hold other bytes.
for f in "$dir"/cognito-api-tester-web-*.wasm "$dir"/part-*.wasm "$dir"/cognito-api-tester-web-*.js; do
  name="${f##*/}"
  [ -f "$f" ] || { echo "dist-report: no ${name} in $dir: the build did not write the wasm, its parts and its glue" >&2; exit 1; }
  want=$(sha256sum "$f" | cut -c1-16)
  if [[ "$name" != *"-$want"[._]* ]]; then
    echo "dist-report: $name is not named after its content (sha256 $want…); the post-build hook did not run" >&2
    exit 1
  fi
done
echo "names: the wasm, its parts and the glue are named after their content"
# The parts are named only in the split loader (tools/split-wasm.sh): each it names must be here, and
# each here must be named (a part nobody fetches is a leftover, or a loader that lost one).
loader=("$dir"/split-*.js)
[ "${#loader[@]}" -eq 1 ] && [ -f "${loader[0]}" ] || { echo "dist-report: expected one split-*.js loader in $dir" >&2; exit 1; }
named=$(grep -o '"\./part-[A-Za-z0-9_.-]*\.wasm"' "${loader[0]}" | tr -d '"' | sed 's|^\./||' | sort -u || true)
present=$(cd "$dir" && ls part-*.wasm | sort)
if [ "$named" != "$present" ]; then
  echo "dist-report: the loader's parts and $dir's part-*.wasm files differ:" >&2
  diff <(printf '%s\n' "$named") <(printf '%s\n' "$present") >&2 || true
  exit 1
fi
echo "parts: the loader names every part-*.wasm file, and each one it names is here ($(printf '%s\n' "$present" | wc -l))"
# The budget is judged on the root build (`make dist`): under a public URL (deploy's PREFIX) the page
# and the loader name it in every path, so they grow with its length.
public_url="${TRUNK_BUILD_PUBLIC_URL:-/}"
if [ "$public_url" != / ]; then
  printf 'first-load gzip: %d bytes under the public URL %s; the budget is judged on the root build (make dist)\n' \
    "$total_gz" "$public_url"
  exit 0
fi
budget_file="$(dirname "$0")/../bench/size-budget.txt"
budget=$(awk '$1 == "first-load" { print $2 }' "$budget_file")
budget_all=$(awk '$1 == "with-parts" { print $2 }' "$budget_file")
[[ "$budget" =~ ^[0-9]+$ && "$budget_all" =~ ^[0-9]+$ ]] \
  || { echo "dist-report: bench/size-budget.txt needs a 'first-load <bytes>' and a 'with-parts <bytes>' line" >&2; exit 1; }
all_gz=$((total_gz + parts_gz))
printf 'first-load gzip: %d bytes (%d KB); budget %d bytes (bench/size-budget.txt); target 150 KB\n' \
  "$total_gz" $(( (total_gz + 1023) / 1024 )) "$budget"
printf 'with the parts: %d bytes (%d KB); budget %d bytes\n' "$all_gz" $(( (all_gz + 1023) / 1024 )) "$budget_all"
over=0
if [ "$total_gz" -gt "$budget" ]; then
  echo "dist-report: the first load is $((total_gz - budget)) bytes over the committed budget." >&2
  over=1
fi
if [ "$all_gz" -gt "$budget_all" ]; then
  echo "dist-report: the first load with the parts is $((all_gz - budget_all)) bytes over the committed budget." >&2
  over=1
fi
if [ "$over" = 1 ]; then
  echo "  Find what grew (make bench's size table), make it smaller, or raise bench/size-budget.txt with the reason in the same commit." >&2
  exit 1
fi
