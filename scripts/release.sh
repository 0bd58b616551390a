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
# cargo-leptos's gzip is about 15 % larger than gzip -9's: redo those.
if command -v gzip >/dev/null 2>&1; then
  for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
    [ -f "$f" ] || continue
    gzip -9 -n -c "$f" >"$f.gz.tmp" && mv "$f.gz.tmp" "$f.gz"
  done
fi
echo "Built: target/release/server (with target/release/hash.txt) and target/site/"
