"""Schema pieces the ``tf`` package lacks: object types and list-nested blocks."""

from __future__ import annotations

import json
from typing import Any

from tf import types
from tf.blocks import SetNestedBlock
from tf.gen import tfplugin_pb2 as pb
from tf.schema import Block

__all__ = ["ListNestedBlock", "Object", "terraform_type"]


class Object(types.TfType):
    """Terraform ``object({...})`` of the given attribute types (Python ``dict``)."""

    def __init__(self, attributes: dict[str, types.TfType]) -> None:
        self.attributes = attributes

    def encode(self, value: Any) -> Any:
        if value is None or value is types.Unknown:
            return value
        return {k: t.encode(value.get(k)) for k, t in self.attributes.items()}

    def decode(self, value: Any) -> Any:
        if value is None or value is types.Unknown:
            return value
        return {k: t.decode(value.get(k)) for k, t in self.attributes.items()}

    def tf_type(self) -> bytes:
        inner = ",".join(
            f"{json.dumps(k)}:{t.tf_type().decode()}" for k, t in sorted(self.attributes.items())
        )
        return f'["object",{{{inner}}}]'.encode()


class ListNestedBlock(SetNestedBlock):
    """A nested block with nesting mode LIST (``assume_role {}`` and friends)."""

    def __init__(self, type_name: str, block: Block, max_items: int | None = None) -> None:
        super().__init__(type_name, block)
        self.max_items = max_items

    def to_pb(self) -> Any:
        return pb.Schema.NestedBlock(
            type_name=self.type_name,
            block=self.block.to_pb(),
            max_items=self.max_items or 0,
            nesting=pb.Schema.NestedBlock.NestingMode.LIST,
        )


def terraform_type(tf_type: types.TfType) -> Any:
    """The JSON type expression (as in ``terraform providers schema -json``) of a tf type."""
    return json.loads(tf_type.tf_type())
