"""The data layer: where the curated tables live, how to read them, how to check them.

    from analysis.data import load, data_dir, DataValidationError, check_folder

- `data_dir()` is the folder of curated CSVs ($PARADOX_DATA if set, else
  $QUARTO_PROJECT_ROOT/data under `quarto render`, else <repo>/data)..
- `load(name)` reads `<dir>/<name>.csv` typed by `<dir>/schemas/<name>.json`.
- `check_folder(dir)` returns every problem in a data folder (never writes).
- `DataValidationError` is the one exception type for bad data; `str()` is one line per problem.

This package knows nothing about the argument of the book; it only knows the data contract
(ARCHITECTURE.md, "Data contract").
"""

from analysis.data.load import load
from analysis.data.paths import TABLES, data_dir, project_root
from analysis.data.problems import DataValidationError, Problem
from analysis.data.validate import check_folder

__all__ = ["load", "data_dir", "project_root", "DataValidationError", "Problem", "check_folder", "TABLES"]
