"""kehoach.eval."""
