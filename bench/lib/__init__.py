"""Building blocks for Serambi's bench scripts.

- `server`: a migrated throwaway site, and gunicorn or Daphne serving it on a free port.
- `latency`: sequential requests at concurrency 1 (p50/p95/p99, mean).
- `load`: requests per second at concurrency C (wrk, or an asyncio fallback).
- `pages`: a page's size, raw and gzip-compressed.
- `django_site`: Django in this process, for SQL query counts and signed-in members' cookies.
- `report`: progress lines, aligned tables, saved results.
- `client`: the headers and cookies every request carries; `script`: Ctrl+C and SIGTERM.
- `ndcg`: nDCG@k over graded judgments, for the search yardstick in `bench/relevance/`.
"""
