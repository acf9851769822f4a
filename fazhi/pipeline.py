"""The pipeline: load → validate → render. The one function every entry point calls."""

from __future__ import annotations

from pathlib import Path

from fazhi.dataset import Dataset
from fazhi.problems import DataError
from fazhi.records import read_data
from fazhi.render import RenderedPage, render_pages
from fazhi.validate import validate


def load_dataset(data_dir: Path) -> Dataset:
    """Read and validate everything under `data_dir`; raise `DataError` with all problems."""
    raw = read_data(data_dir)
    dataset, problems = validate(raw)
    if raw.problems or problems:
        raise DataError(raw.problems + problems)
    return dataset


def generate(data_dir: Path) -> list[RenderedPage]:
    """The whole core: load → validate → aggregate → render, from published records only."""
    dataset = load_dataset(data_dir).published()
    return [
        *render_pages(dataset),
    ]
