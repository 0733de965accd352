"""The bare endpoint the API benchmark compares against: one FastAPI JSON route, nothing
else, served by `python -m bench.api` exactly as `hinge serve` serves the app (uvicorn, the
same number of worker processes, a factory, no access log)."""

from __future__ import annotations

from fastapi import FastAPI


def app() -> FastAPI:
    bare = FastAPI()

    @bare.get("/bare")
    def answer() -> dict[str, str]:
        return {"status": "ok"}

    return bare
