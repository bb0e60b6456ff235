import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
django_application = get_wsgi_application()

from tinhso.core.request_guard import RequestGuard  # noqa: E402  (needs Django set up)

# Bodies too large or too slow are refused before Django reads them (core/request_guard.py).
application = RequestGuard(django_application)
