"""Load and soak runs of the API (`nox -s load`, `nox -s soak`, bench.load_bench)."""
