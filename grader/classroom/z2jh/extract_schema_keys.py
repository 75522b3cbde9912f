"""Write the key paths a Zero to JupyterHub chart's values schema allows, as plain data.

The chart's ``jupyterhub/values.schema.yaml`` (a JSON schema) decides which Helm values
``helm install`` accepts. ``test_z2jh.py`` checks ``config.yaml`` against these paths
without the network, so the repository keeps only this extract (key paths and types, no
descriptions), not the schema. Regenerate it for a new chart version from a checkout of
github.com/jupyterhub/zero-to-jupyterhub-k8s at the version's tag::

    python grader/classroom/z2jh/extract_schema_keys.py VERSION \\
        path/to/jupyterhub/values.schema.yaml > grader/classroom/z2jh/chart-keys.txt

Each line is ``path<TAB>types<TAB>open|closed``: ``*`` in a path stands for any key (the
schema's patternProperties), ``[]`` for an array's items; ``open`` means the schema lets
any key in below that path (pass-through configuration, Kubernetes objects), as JSON schema
does where a node does not say ``additionalProperties: false``.
"""

import sys
from collections.abc import Iterator
from typing import Any

import yaml

ANY_KEY = "*"
ITEMS = "[]"


def _types(node: dict[str, Any]) -> str:
    """The JSON types a node allows, comma-separated (``any`` when it names none)."""
    kind = node.get("type", "any")
    return ",".join(kind) if isinstance(kind, list) else str(kind)


def _is_open(node: dict[str, Any]) -> bool:
    """Whether a node may be an object with keys the schema does not name (JSON schema's
    default, unless ``additionalProperties`` is false or ``patternProperties`` limit them)."""
    may_be_object = _types(node) == "any" or "object" in _types(node).split(",")
    return (may_be_object and node.get("additionalProperties", True) is not False
            and "patternProperties" not in node)


def key_paths(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every (path, types, open) below ``node``, depth first, in the schema's order."""
    children = dict(node.get("properties", {}))
    for pattern_child in node.get("patternProperties", {}).values():
        children[ANY_KEY] = pattern_child  # the chart's schema gives one pattern an object
    items = node.get("items")
    if isinstance(items, dict) and ("properties" in items or "patternProperties" in items):
        children[ITEMS] = items
    for name, child in children.items():
        child_path = f"{path}.{name}" if path else name
        yield child_path, _types(child), _is_open(child)
        yield from key_paths(child, child_path)


def main(version: str, schema_file: str) -> None:
    """Print the extract for one chart version, with where it came from."""
    with open(schema_file, encoding="utf-8") as stream:
        schema = yaml.safe_load(stream)
    print(f"# chart-version: {version}")
    print("# Key paths allowed by values.schema.yaml of the jupyterhub Helm chart at this")
    print("# version (github.com/jupyterhub/zero-to-jupyterhub-k8s, BSD-3-Clause), extracted")
    print("# by extract_schema_keys.py: names and types only.")
    for path, types, is_open in key_paths(schema):
        print(f"{path}\t{types}\t{'open' if is_open else 'closed'}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
