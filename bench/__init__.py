"""Performance scripts: each prints figures for one question (see bench/README.md)."""
