"""What the service knows: the official-channel registry, reports, and their storage."""
