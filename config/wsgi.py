import os

from django.core.wsgi import get_wsgi_application

from config.runtime import heap_freeze
from config.tracing import tracing_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
tracing_setup(role="web")  # OpenTelemetry, only when OTEL_* variables ask for it; before the middleware loads
application = get_wsgi_application()
heap_freeze()  # after start-up, in each worker process that loads the application
