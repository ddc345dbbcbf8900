"""The SQLite engine (base.py) and its FTS5 query compiler (compiler.py)."""
