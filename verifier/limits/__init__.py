"""Rate limits: one sliding-window arithmetic, and the local, synced and strict limiters built on it."""
