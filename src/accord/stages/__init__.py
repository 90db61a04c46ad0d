"""The pipeline's stages over a Store, one module each, in the order the flows call them:
collect, dedup, cluster, extract, score.

Each stage selects its work by state (what earlier runs have not done yet), does it, and writes the
result in one transaction, so a crash leaves the file consistent and the next run finishes the work
without duplicates. Each module owns the reads and writes of its tables (named in its docstring). The Prefect
flows (accord.flows.pipeline) call them one by one; `accord eval` (accord.evaluation) calls them directly.
"""

from accord.stages import cluster, collect, dedup, extract, score

__all__ = ["collect", "dedup", "cluster", "extract", "score"]
