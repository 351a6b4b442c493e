# Sourced by the post-build steps (the page helpers glue_href, sri_of and set_integrity are below).
# `content_name <staging dir> <file name>` renames the file after
# its own bytes (the first 16 hex digits of its SHA-256, in place of Trunk's hash), rewrites every
# mention of the old name in index.html, and prints the new name. Trunk names the wasm and the glue
# after the module cargo built, before wasm-opt and terser, so one name could hold other bytes (a new
# wasm-opt or terser) while CloudFront keeps the old ones for a year (deploy marks hashed names
# immutable); a name taken from the content cannot.
content_name() {
  local dir="$1" old="$2" re hash new
  # Trunk's hash is a 64-bit number in hex without leading zeros (up to 16 digits); wasm-bindgen
  # puts `_bg` between it and `.wasm`.
  re='^(.+)-[0-9a-f]{1,16}((_bg)?\.[a-z]+)$'
  [[ "$old" =~ $re ]] || { echo "content-name: $old is not a hashed name" >&2; return 1; }
  hash=$(sha256sum "$dir/$old" | cut -c1-16)
  new="${BASH_REMATCH[1]}-$hash${BASH_REMATCH[2]}"
  if [ "$new" != "$old" ]; then
    mv "$dir/$old" "$dir/$new" || return 1
    OLD="$old" NEW="$new" perl -0pi -e \
      's{\Q$ENV{OLD}\E}{$ENV{NEW}}g or die "content-name: $ENV{OLD} is not named in the page\n"' \
      "$dir/index.html" || return 1
  fi
  printf '%s' "$new"
}

# `glue_href <page>`: the href of the page's first <link rel=modulepreload>, the wasm-bindgen glue
# Trunk preloads (quotes are optional after Trunk's release minification).
glue_href() {
  perl -0ne 'while (m{<link\b([^>]*)>}g) { my $a = $1; next unless $a =~ /rel="?modulepreload/; print $1 if $a =~ /href="?([^"\s>]+)/; last }' "$1"
}

# `sri_of <file>`: the file's subresource integrity, as the page writes it (sha384).
sri_of() {
  printf 'sha384-%s' "$(perl -MDigest::SHA=sha384_base64 -0777 -ne 'print sha384_base64($_)' "$1")"
}

# `set_integrity <staging dir> <file name>`: the page's integrity for the file, from its bytes now
# (a step that rewrote a file after Trunk hashed it).
set_integrity() {
  local sri
  sri=$(sri_of "$1/$2")
  NAME="$2" SRI="$sri" perl -0pi -e '
    s{(<link\b[^>]*?href="?[^"\s>]*\Q$ENV{NAME}\E"?[^>]*?integrity=)"?sha384-[A-Za-z0-9+/=]+"?}{$1$ENV{SRI}}
      or die "no integrity for $ENV{NAME} in the page\n"' "$1/index.html"
}
