#!/usr/bin/env bash
# Where the wasm's bytes are: twiggy (https://rustwasm.github.io/twiggy/) on the main module that
# wasm-bindgen wrote for the last `make dist` (the panels' parts aside), before wasm-opt — its function names are still in
# it, so every byte has a name. Prints the largest functions, the same grouped by crate, the
# dominator tree's top and the generic functions instantiated most often, as Markdown.
# `make size-report` writes it to bench/size-breakdown.md, which `make bench` puts into RESULTS.md.
#
# The sizes are of that module (wasm-bindgen's output, names section aside); wasm-opt -Oz then
# drops the names and shrinks the rest by about 6 % (875 -> 822 KB on 2026-12-02), and gzip the
# file: shares carry over, bytes do not. The first-load gzip figure is `make dist`'s.
set -euo pipefail
cd "$(dirname "$0")/.."
# The main module of the split build (tools/split-wasm.sh keeps it there): what the first load
# holds. Trunk's own wasm-bindgen output (target/wasm-bindgen/release/) is the whole program before
# the split, with the relocation sections the splitter needs: not what ships.
wasm=target/split/main_bg.wasm
[ -f "$wasm" ] || { echo "size-report: no $wasm; run make dist first" >&2; exit 1; }
command -v twiggy >/dev/null || { echo "size-report: twiggy is missing: make size-report installs it (cargo install twiggy --version 0.8.0 --locked)" >&2; exit 1; }
rows="${ROWS:-25}"
# Long names cut at 200 characters (not bytes: cut -c would split the table's UTF-8 lines).
trim() { python3 -c 'import sys
for line in sys.stdin: print(line.rstrip("\n")[:200])'; }

fence='```'
echo "Written by \`make size-report\` (tools/size-report.sh) on $(date -u '+%Y-%m-%d %H:%M UTC') from \`$wasm\`"
echo "($(stat -c %s "$wasm") bytes, wasm-bindgen's output before wasm-opt, names kept; $(twiggy --version))."
echo "wasm-opt -Oz then drops the names and shrinks the rest by a few per cent, and gzip the file: shares carry over, bytes do not. The first-load gzip bytes are \`make dist\`'s."
[ -f dist/index.html ] && echo "The dist/ beside it: $(bash tools/dist-report.sh dist 2>/dev/null | grep -E '^(first-load gzip|with the parts)' | awk 'NR > 1 { printf "; " } { printf "%s", $0 }' || true)."
echo
echo "### Largest items: \`twiggy top -n $rows\`"
echo; echo "$fence"
twiggy top -n "$rows" "$wasm"
echo "$fence"; echo
echo "### By crate: \`twiggy top -n 1000000 --format csv\`, summed by crate"
echo; echo "$fence"
# A function's crate is the first crate path in its name other than core/alloc/std (so
# `core::ptr::drop_in_place<tachys::…>` counts for tachys); `<T as tachys::…>::f` counts for the
# trait's crate; what is left of core, alloc and std is grouped by module. Data segments and the names section are rows of their own.
twiggy top -n 1000000 --format csv "$wasm" | python3 -c '
import csv, re, sys
from collections import Counter
rows = list(csv.DictReader(sys.stdin))
sizes, count = Counter(), Counter()
total = 0
for r in rows:
    name, size = r["Name"], int(r["ShallowSize"])
    if name.startswith("\"function names\"") or name.startswith("Σ") or name.startswith("... and"):
        continue
    total += size
    if name.startswith("data segment") or name.startswith("elem[") or name.startswith("type[") \
            or name.startswith("import ") or name.startswith("export ") or name.startswith("table[") \
            or name.startswith("global[") or name.startswith("memory[") or name.startswith("\"") \
            or name.startswith("code["):
        group = "(data, tables, imports, exports, other sections)"
    else:
        crates = re.findall(r"(?<![A-Za-z0-9_:])([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
        own = [c for c in crates if c not in ("core", "alloc", "std")]
        if own:
            group = own[0]
        else:
            # core, alloc and std by module: core::fmt is the formatting machinery.
            m = re.search(r"(?<![A-Za-z0-9_:])(core|alloc|std)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)", name)
            group = m.group(1) + "::" + m.group(2) if m else (crates[0] if crates else "(unnamed)")
    sizes[group] += size
    count[group] += 1
print("%9s %6s %6s  crate" % ("bytes", "share", "items"))
for group, size in sizes.most_common(int(sys.argv[1])):
    print(f"{size:>9} {100*size/total:>5.1f}% {count[group]:>6}  {group}")
print(f"{total:>9} 100.0% {sum(count.values()):>6}  (everything but the names section)")
# Across crates: every item whose name mentions the word (derived impls count for serde).
print()
print("%9s %6s %6s  items whose name contains" % ("bytes", "share", "items"))
for word in ["serde", "fmt::", "::sort::", "base64", "Debug", "drop_in_place"]:
    hits = [int(r["ShallowSize"]) for r in rows if word in r["Name"] and not r["Name"].startswith("\"function names")]
    print(f"{sum(hits):>9} {100*sum(hits)/total:>5.1f}% {len(hits):>6}  {word}")
' "$rows"
echo "$fence"; echo
echo "### What keeps what: \`twiggy dominators -d 3 -r 12\`"
echo; echo "$fence"
twiggy dominators -d 3 -r 12 "$wasm" | trim
echo "$fence"; echo
echo "### Generic functions instantiated most: \`twiggy monos -m 12 -n 2\`"
echo; echo "$fence"
twiggy monos -m 12 -n 2 "$wasm" | trim
echo "$fence"
