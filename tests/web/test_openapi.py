"""The OpenAPI document describes every answer: a typed body for each success, and the error
body for each refusal a route can give, so a client can generate its types from it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

_FILES = {
    "/me/export.csv",
    "/charts/{kind}.svg",
    "/clinic/learners/{learner_id}/charts/{kind}.svg",
    "/form-checks/{check_id}/chart.svg",
    "/clinic/learners/{learner_id}/form-checks/{check_id}/chart.svg",
    "/clinic/learners/{learner_id}/form-checks/{check_id}/video",
    "/me/export.fhir.json",
    "/clinic/learners/{learner_id}/export.fhir.json",
    "/me/report.pdf",
    "/clinic/learners/{learner_id}/report.pdf",
    "/calendar/{secret}.ics",
}


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = client.get("/api/v1/openapi.json").json()
    return [
        (path, method, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if path != "/api/v1/openapi.json"
    ]


def test_every_success_has_a_typed_body(client: TestClient) -> None:
    for path, method, op in _operations(client):
        success = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        assert success, (method, path)
        for code, response in success.items():
            if code == "204":
                continue
            content = response.get("content", {})
            if path in _FILES:
                assert content, (method, path)
                continue
            schema = content["application/json"]["schema"]
            assert "$ref" in schema or schema.get("type") in ("object", "array"), (method, path)


def test_every_route_documents_its_refusals_with_the_error_body(client: TestClient) -> None:
    for path, method, op in _operations(client):
        refusals = {c: r for c, r in op["responses"].items() if c.startswith(("4", "5"))}
        if path == "/api/v1/logout":
            continue  # signing out cannot be refused
        assert refusals, (method, path)
        for code, response in refusals.items():
            assert "ErrorPublic" in str(response), (method, path, code)


def test_the_shapes_a_client_needs_are_in_the_document(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    for name in ("TodayPublic", "OutcomePublic", "HistoryPage", "RosterPage", "ErrorPublic"):
        assert name in schemas, name
    today = schemas["TodayPublic"]["properties"]
    assert {"programme", "prescription", "safety"} <= today.keys()
