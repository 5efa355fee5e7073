"""The versioned JSON API (/api/v1): thin handlers over the engine and the store."""
