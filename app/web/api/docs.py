"""The OpenAPI document and a page for humans that renders it (no CDN, no script)."""

from __future__ import annotations

from flask import jsonify, render_template

from app.web.api import bp, spec

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@bp.get("/openapi.json")
def openapi_json():
    """Serve the OpenAPI 3 document generated from the routes and their pydantic models."""
    response = jsonify(spec.spec)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/docs")
def docs():
    """Render the OpenAPI document as a readable page."""
    document = spec.spec
    return render_template(
        "api/docs.html",
        info=document["info"],
        tags=operations_by_tag(document),
        schemas=readable_schemas(document),
    )


def operations_by_tag(document: dict) -> list[tuple[str, list[dict]]]:
    """Return the operations grouped by their first tag, in path order."""
    groups: dict[str, list[dict]] = {}
    for path, item in sorted(document["paths"].items()):
        for method in METHOD_ORDER:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": type_text(p.get("schema", {})),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": type_text(body["application/json"]["schema"]) if body else "",
                    "responses": [
                        (status, _response_type(response))
                        for status, response in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return sorted(groups.items())


def _response_type(response: dict) -> str:
    content = response.get("content", {}).get("application/json")
    return type_text(content["schema"]) if content else "—"


def readable_schemas(document: dict) -> list[tuple[str, list[dict]]]:
    """Return each schema's properties with type, whether required, and constraints."""
    result = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        properties = [
            {"name": prop, "type": type_text(sub), "required": prop in required}
            for prop, sub in schema.get("properties", {}).items()
        ]
        result.append((_short(name), properties))
    return result


def _short(ref_or_name: str) -> str:
    return ref_or_name.rsplit("/", 1)[-1].split(".")[-1]


def type_text(schema: dict) -> str:
    """Return a JSON schema as short readable text, e.g. "array of integer (1–50 items)"."""
    if "$ref" in schema:
        return _short(schema["$ref"])
    if "anyOf" in schema:
        return " or ".join(type_text(part) for part in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        text = f"array of {type_text(schema.get('items', {}))}"
    elif kind == "object" and "additionalProperties" in schema:
        text = f"object of {type_text(schema['additionalProperties'])}"
    else:
        text = f"{kind} ({schema['format']})" if "format" in schema else str(kind)
    bounds = [
        f"{label} {schema[key]}"
        for key, label in (
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("minLength", "min length"),
            ("maxLength", "max length"),
            ("minItems", "min items"),
            ("maxItems", "max items"),
        )
        if key in schema
    ]
    return f"{text} ({', '.join(bounds)})" if bounds else text
