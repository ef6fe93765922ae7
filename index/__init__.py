"""kehoach.index."""
