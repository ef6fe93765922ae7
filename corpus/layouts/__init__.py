"""Layout families of plans; each module reads one, over the shared line shapes and assignment grammar."""
