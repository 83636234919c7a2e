import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secondround.settings")
application = get_wsgi_application()

if os.environ.get("SECONDROUND_PDF_WARM_UP", "1") == "1":
    from secondround.web.pdf import warm_up_in_background

    warm_up_in_background()
