"""HTTP plumbing: the app factory, app keys, every route in one table, the edge, callers, problems, request and response io."""
