"""The public shapes: what the JSON API and the CLI's `--json` answer, and what the API takes.

One module per resource, each shape with the builder that makes it from the services'
results (`Shape.of(...)`): programme (today, decisions, outcomes, history), pages (the
learner's pages), clinic, accounts, catalog, video (the form check report), inputs (the
bodies the API takes), errors. Every `/api/v1` route declares its shape as its response
model, so the OpenAPI document describes every answer.
"""
