"""Every API answer has a shape in the OpenAPI document: no operation answers with a bare
object (`response=dict`), whose keys a client could only guess."""

from __future__ import annotations

from typing import Any

from secondround.api.api import api


def _untyped(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return False
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}))
    return schema.get("type") == "object" and "properties" not in schema


def untyped_operations() -> set[tuple[str, str]]:
    found = set()
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if str(status).startswith("2") and content and _untyped(content["schema"]):
                    found.add((method, path))
    return found


def test_every_answer_has_a_shape() -> None:
    assert untyped_operations() == set()


def test_the_check_spots_a_bare_object() -> None:
    assert _untyped({"type": "object"})
    assert _untyped({"type": "array", "items": {"type": "object"}})
    assert not _untyped({"type": "array", "items": {"$ref": "#/components/schemas/X"}})
