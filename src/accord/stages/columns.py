"""Arrow columns the stages read and write: query results as Arrow tables, list columns as numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from accord.store import Store


def arrow(store: Store, sql: str) -> pa.Table:
    """Return a query's result as an Arrow table (DuckDB 2 names it to_arrow_table, 1.x arrow)."""
    relation = store.con.sql(sql)
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()


def list_values(column: pa.ChunkedArray, dtype: Any) -> np.ndarray:
    """Return the values of an Arrow list column laid end to end, as a numpy array of `dtype`."""
    flat = pa.chunked_array(column).combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return np.asarray(flat, dtype=dtype)


def vector_column(vectors: np.ndarray) -> pa.ListArray:
    """Return the rows of a float32 matrix as an Arrow list column, straight from the array (a Python float per
    component would cost about 25 times its 4 bytes: a gigabyte at 100k reports)."""
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
    offsets = pa.array(np.arange(0, len(flat) + 1, max(1, vectors.shape[1]), dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, flat)
