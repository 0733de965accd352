"""The web app: server-rendered pages for learners and clinicians, with a JSON twin of each
page under /api/v1. Routes only parse, call a service, and render; rules live below."""

from hingecoach.web.app import create_app

__all__ = ["create_app"]
