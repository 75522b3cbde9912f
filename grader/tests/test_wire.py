"""What crosses the wire between the grader and the learner's process, by value."""

import base64

import pytest
from botocore.config import Config

from grader.wire import Codec, WireError


def test_wire_carries_bytes_configs_and_numbered_mappings():
    codec = Codec(lambda handle: handle)
    value = {"data": b"\x00\xff", 3: "three", "config": Config(read_timeout=2.5)}
    decoded = codec.decode(codec.encode(value))
    assert decoded["data"] == b"\x00\xff" and decoded[3] == "three"
    assert decoded["config"].read_timeout == 2.5
    with pytest.raises(WireError):
        codec.decode({"$config": {"$dict": {"not_an_option": 1}}})
    with pytest.raises(WireError):
        codec.decode({"$bytes": base64.b64encode(b"x").decode() + "!"})
