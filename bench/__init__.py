"""Load and scale benchmarks. They print figures; they do not assert speed (docs/performance.md).

Run them from the repository root as modules, e.g. `.venv/bin/python -m bench.scale`:
`python bench/http.py` would put bench/ first on sys.path, where http.py hides the standard
library's http package."""
