"""Tests of labkit, the book's structure and (in browser/) the built HTML book."""
