#!/usr/bin/env bash
# Builds Concord for production: the server binary (target/release/server,
# with target/release/hash.txt beside it) and the site (target/site), its
# files under hashed names with gzip and brotli copies made once, here, so
# that the server sends them as they are. `--split` cuts the wasm at each
# page (app/src/ui/lazy_pages.rs): a first visit fetches the shell and the
# page it shows, not the whole application.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo leptos build --release --precompress --split
# The wasm parts without the custom sections wasm-split leaves in each
# (a third of a typical part), and their brotli copies made afresh.
node scripts/finish-wasm.mjs target/site/pkg
# cargo-leptos's gzip is about 15 % larger than gzip -9's, which zopfli
# (Debian's `zopfli`, used when installed) beats by another 4 %: redo those.
# The files stay plain gzip; only the time spent making them differs.
if command -v zopfli >/dev/null 2>&1; then
  squeeze() { zopfli -c "$1"; }
else
  squeeze() { gzip -9 -n -c "$1"; }
fi
# Leptos reads the split manifest to name a page's wasm parts as preloads in
# its HTML, but it records them racily: the same page came with 0 to 240
# links (23 to 73 KB), a third fewer pages a second. Kept beside the site
# instead (the benchmark reads it), the browser fetches the parts as it
# hydrates.
mv target/site/pkg/__wasm_split_manifest.*.json target/site/split-manifest.json
rm -f target/site/pkg/__wasm_split_manifest.*
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  [ -f "$f" ] || continue
  squeeze "$f" >"$f.gz.tmp" && mv "$f.gz.tmp" "$f.gz"
done
echo "Built: target/release/server (with target/release/hash.txt) and target/site/"
