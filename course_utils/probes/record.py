"""A probe's record as plain data, and its strict reading.

A record holds only ``None``, booleans, integers, finite floats, strings, lists,
dicts with string keys and tensors. :func:`encode` writes it as JSON (a tensor
as its dtype, shape and raw little-endian bytes in base64); :func:`decode` reads
it back and refuses, with :class:`Malformed`, anything else: another type, a
non-finite number outside a tensor, a size over the limits, bytes that do not
fit the shape. Nothing is ever unpickled or run.
"""

from __future__ import annotations

import base64
import json
import math
import numbers

import numpy as np
import torch

TENSOR = "__tensor__"
DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "int64": torch.int64,
    "int32": torch.int32,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
MAX_BYTES = 32 * 2**20  # a whole record, encoded
MAX_ITEMS = 10**6  # in one list or dict, or numbers in one tensor
MAX_TEXT = 4000  # characters in one string
MAX_DEPTH = 12


class Malformed(ValueError):
    """A record that is not what a probe writes."""


def _tensor(t: torch.Tensor) -> dict:
    t = t.detach().to("cpu")
    name = str(t.dtype).removeprefix("torch.")
    if name not in DTYPES:  # half precision, complex...: the closest kind we keep
        t = t.to(torch.float32 if t.is_floating_point() or t.is_complex() else torch.int64)
        name = str(t.dtype).removeprefix("torch.")
    raw = t.contiguous().numpy().astype(np.dtype(name).newbyteorder("<"), copy=False)
    return {
        TENSOR: {
            "dtype": name,
            "shape": list(t.shape),
            "data": base64.b64encode(raw.tobytes()).decode(),
        }
    }


def plain(value: object) -> object:
    """``value`` (built by a probe) as plain data; finite floats only (else None)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, torch.Tensor):
        return _tensor(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    raise TypeError(f"a probe recorded a {type(value).__name__}, which is not plain data")


def encode(record: object) -> str:
    """The record as one line of JSON."""
    return json.dumps(plain(record), allow_nan=False, separators=(",", ":"))


def _refuse(constant: str) -> None:
    raise Malformed(f"not a finite number: {constant}")


def _read_tensor(spec: object) -> torch.Tensor:
    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "data"}:
        raise Malformed("a tensor needs exactly dtype, shape and data")
    dtype, shape, data = spec["dtype"], spec["shape"], spec["data"]
    if dtype not in DTYPES or not isinstance(shape, list) or not isinstance(data, str):
        raise Malformed("a tensor's dtype, shape or data has the wrong type")
    if len(shape) > 8 or not all(type(n) is int and 0 <= n <= MAX_ITEMS for n in shape):
        raise Malformed(f"not a tensor shape: {shape}")
    count = math.prod(shape)
    if count > MAX_ITEMS:
        raise Malformed(f"a tensor of {count} numbers is over the limit")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError as error:
        raise Malformed("a tensor's data is not base64") from error
    kind = np.dtype(dtype).newbyteorder("<")
    if len(raw) != count * kind.itemsize:
        raise Malformed("a tensor's data does not fit its shape")
    array = np.frombuffer(raw, dtype=kind).astype(np.dtype(dtype), copy=True)
    return torch.from_numpy(array.reshape(shape))


def _check(value: object, depth: int = 0) -> object:
    if depth > MAX_DEPTH:
        raise Malformed("nested too deep")
    if value is None or type(value) in (bool, int, float):  # decode refused NaN and infinity
        return value
    if type(value) is str:
        if len(value) > MAX_TEXT:
            raise Malformed("a string is over the limit")
        return value
    if type(value) is list:
        if len(value) > MAX_ITEMS:
            raise Malformed("a list is over the limit")
        return [_check(v, depth + 1) for v in value]
    if type(value) is dict:
        if set(value) == {TENSOR}:
            return _read_tensor(value[TENSOR])
        if len(value) > MAX_ITEMS or any(len(k) > 200 for k in value):
            raise Malformed("a dict is over the limit")
        return {k: _check(v, depth + 1) for k, v in value.items()}
    raise Malformed(f"not plain data: {type(value).__name__}")


def decode(text: str | bytes) -> object:
    """Read a record written by :func:`encode`; :class:`Malformed` for anything else."""
    if len(text) > MAX_BYTES:
        raise Malformed("the record is over the size limit")
    try:
        value = json.loads(text, parse_constant=_refuse)
    except (ValueError, RecursionError) as error:
        raise Malformed(f"not JSON: {str(error)[:80]}") from error
    return _check(value)
