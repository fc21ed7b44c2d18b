import os

from django.core.wsgi import get_wsgi_application

from config.runtime import heap_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
heap_freeze()  # after start-up, in each worker process that loads the application
