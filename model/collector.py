"""Mesa's DataCollector of the per-quarter record (:mod:`model.record`), for the Mesa model.

Kept apart from :mod:`model.record` so that the array engine, and every sweep worker that runs
it, never imports Mesa.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import DataCollector

from multivector.model.record import INT, TEXT, TEXT_COLUMNS, record_inputs, record_layout, record_text, values_from

if TYPE_CHECKING:
    from multivector.model.model import MultivectorModel

__all__ = ["RecordCollector", "reporter"]


def reporter(column: str):
    """A DataCollector model reporter that reads one column of the current record."""
    def report(model: "MultivectorModel"):
        return model.record[column]

    report.__name__ = f"report_{column}"
    return report


class RecordCollector(DataCollector):
    """Mesa's DataCollector with one model reporter per record column. Each quarter it stores what
    the record is computed from (:func:`record_inputs`) in preallocated arrays, one row per
    quarter, and computes the rows of all stored quarters at once when ``model_vars`` (Mesa's
    per-column lists) is read: the same values, without building a row per quarter or Mesa's
    defensive deepcopy of every value."""

    def __init__(self, power_ids: tuple[str, ...], quarters: int = 1):
        self._layout = record_layout(power_ids)
        self._capacity = max(1, quarters)
        self._inputs: dict[str, np.ndarray] | None = None  # each input, (capacity, ...) for stored quarters
        self._texts: list[tuple[str, ...]] = []  # text columns of the stored quarters
        self._vars: dict[str, list] = {}
        super().__init__(model_reporters={name: reporter(name) for name, _ in self._layout})

    @property
    def model_vars(self) -> dict[str, list]:
        if self._texts:
            self._flush()
        return self._vars

    @model_vars.setter
    def model_vars(self, value: dict[str, list]) -> None:
        self._vars = value

    def collect(self, model: "MultivectorModel") -> None:
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        world = model.world
        inputs = record_inputs(world)
        row = len(self._texts)
        if self._inputs is None or row == len(next(iter(self._inputs.values()))):
            self._grow(inputs)
        for key, value in inputs.items():
            self._inputs[key][row] = value[0]
        self._texts.append(record_text(world, 0))

    def _grow(self, inputs: dict[str, np.ndarray]) -> None:
        size = self._capacity if self._inputs is None else 2 * len(next(iter(self._inputs.values())))
        grown = {key: np.empty((size, *np.shape(value)[1:]), dtype=np.asarray(value).dtype)
                 for key, value in inputs.items()}
        if self._inputs is not None:
            for key, array in self._inputs.items():
                grown[key][:len(array)] = array
        self._inputs = grown

    def _flush(self) -> None:
        count, texts = len(self._texts), self._texts
        numbers = iter(values_from({key: array[:count] for key, array in self._inputs.items()}).T.tolist())
        self._texts, self._inputs = [], None
        text_columns = dict(zip(TEXT_COLUMNS, zip(*texts)))
        for name, kind in self._layout:
            if kind == TEXT:
                self._vars[name].extend(text_columns[name])
            elif kind == INT:
                self._vars[name].extend(int(x) for x in next(numbers))
            else:
                self._vars[name].extend(next(numbers))
