"""Refuse text with NUL characters before any view or database sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """A NUL character is never meaningful input here, and PostgreSQL refuses to store or
    compare text holding one (a 500 deep in a query). Forms already refuse it by field; this
    covers query strings and JSON bodies everywhere, naming the parameter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return _refused(request, f"query parameter {name!r}")
        if request.content_type == "application/json" and b"\\u0000" in request.body:
            return _refused(request, "the JSON body")
        return self.get_response(request)


def _refused(request: HttpRequest, where: str) -> HttpResponse:
    message = f"{where} contains a NUL character, which is not allowed in text."
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": [{"loc": ["query"], "msg": message, "type": "nul"}]}, status=400
        )
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
