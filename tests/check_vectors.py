"""Checks every conformance vector file against its schema (vectors.schema.json,
webhooks/webhooks.schema.json and webhooks/endpoint.schema.json) and prints a count."""

import json
import pathlib
import sys

import jsonschema
import referencing

HERE = pathlib.Path(__file__).parent / "vectors"


def main() -> int:
    schema = json.loads((HERE / "vectors.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    names: set[str] = set()
    failures = 0
    total = 0
    for path in sorted(HERE.glob("*.json")):
        if path.name == "vectors.schema.json":
            continue
        doc = json.loads(path.read_text())
        for err in validator.iter_errors(doc):
            failures += 1
            print(f"{path.name}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        for case in doc.get("cases", []):
            total += 1
            if case["name"] in names:
                failures += 1
                print(f"{path.name}: duplicate case name {case['name']}")
            names.add(case["name"])
    # The schema must be able to say no: a case without `expect`, or with an unknown fault,
    # is refused.
    broken = {
        "cases": [
            {
                "name": "x",
                "description": "a broken case",
                "operation": "create_wallet_session",
                "input": {},
            }
        ]
    }
    odd_fault = {"cases": [dict(doc["cases"][0], script=[{"kind": "explode"}])]}
    if validator.is_valid(broken) or validator.is_valid(odd_fault):
        failures += 1
        print("the schema accepts broken cases")
    print(f"vectors.schema.json: {total} cases checked, {failures} problems")
    return 1 if failures + webhooks() + endpoint() else 0


def webhooks() -> int:
    """The webhook vectors against their own schema."""
    here = HERE / "webhooks"
    schema = json.loads((here / "webhooks.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = json.loads((here / "webhooks.json").read_text())
    failures = 0
    for err in validator.iter_errors(doc):
        failures += 1
        print(f"webhooks.json: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    names = [c["name"] for c in doc["cases"]]
    if len(set(names)) != len(names):
        failures += 1
        print("webhooks.json: duplicate case names")
    if validator.is_valid(
        {"cases": [{"name": "x", "operation": "verify", "body": "", "expect": {"event": {}}}]}
    ):
        failures += 1
        print("the webhook schema accepts a verify case without a verifier")
    print(f"webhooks.schema.json: {len(names)} cases checked, {failures} problems")
    return failures


def endpoint() -> int:
    """The webhook endpoint vectors against theirs (which refers to the webhook schema)."""
    here = HERE / "webhooks"
    base = json.loads((here / "webhooks.schema.json").read_text())
    schema = json.loads((here / "endpoint.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    registry = referencing.Registry().with_resource(
        "webhooks.schema.json", referencing.Resource.from_contents(base)
    )
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    doc = json.loads((here / "endpoint.json").read_text())
    failures = 0
    for err in validator.iter_errors(doc):
        failures += 1
        print(f"endpoint.json: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    names = [c["name"] for c in doc["cases"]]
    if len(set(names)) != len(names):
        failures += 1
        print("endpoint.json: duplicate case names")
    for c in doc["cases"]:
        for step in c["steps"]:
            while step and "deliver" in step:
                if step["deliver"] not in doc["deliveries"]:
                    failures += 1
                    print(f"endpoint.json: {c['name']} names an unknown delivery {step['deliver']}")
                step = step.get("during")
    # The schema must be able to say no: an unknown handler outcome is refused.
    broken = dict(
        doc,
        cases=[
            dict(
                doc["cases"][0],
                steps=[
                    {
                        "deliver": "doc",
                        "handler": "explode",
                        "expect": {"answer": "died", "handler_calls": 0},
                    }
                ],
            )
        ],
    )
    if validator.is_valid(broken):
        failures += 1
        print("the endpoint schema accepts an unknown handler outcome")
    print(f"endpoint.schema.json: {len(names)} cases checked, {failures} problems")
    return failures


if __name__ == "__main__":
    sys.exit(main())
