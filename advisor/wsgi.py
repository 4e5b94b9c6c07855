"""WSGI entry point, served by gunicorn (deploy/gunicorn.conf.py)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")

application = get_wsgi_application()
