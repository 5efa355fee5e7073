"""Memory that follows the store: the running service, the answer cache, snapshots, sync between processes, group commit."""
