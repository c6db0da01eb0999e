"""labkit placeholder."""
