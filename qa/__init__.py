"""kehoach.qa."""
