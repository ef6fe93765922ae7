"""kehoach.ui."""
