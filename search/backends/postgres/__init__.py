"""The PostgreSQL engine (base.py) and its tsquery compiler (compiler.py)."""
