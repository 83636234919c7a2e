from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from secondround.ops.health import check_health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when all is well, 503 otherwise. No login."""
    health = check_health()
    return JsonResponse(health.as_json(), status=200 if health.ok else 503)
