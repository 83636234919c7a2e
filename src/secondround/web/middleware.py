"""Posted text, made safe and plain before any view or database sees it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """A NUL character is never meaningful input here, and PostgreSQL refuses to store or
    compare text holding one (a 500 deep in a query). Forms already refuse it by field; this
    covers query strings and JSON bodies everywhere, naming the parameter.

    The API parses a body as JSON whatever its Content-Type says (text/plain, none at all), so
    every body that is not a form is checked, not only "application/json" ones: a form's
    fields are checked by the form. An API body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is
    answered here too, in the API's shape (413), not with Django's HTML "Bad Request" page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return _refused(request, f"query parameter {name!r}", ["query", name])
        if request.content_type not in FORM_ENCODINGS:
            try:
                body = request.body
            except RequestDataTooBig:
                if not request.path.startswith("/api/"):
                    raise
                return _too_large()
            if b"\\u0000" in body:
                return _refused(request, "the JSON body", ["body"])
        return self.get_response(request)


def _refused(request: HttpRequest, where: str, loc: list[str]) -> HttpResponse:
    message = f"{where} contains a NUL character, which is not allowed in text."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"loc": loc, "msg": message, "type": "nul"}]}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _too_large() -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = f"The request body is larger than {limit:,} bytes, the most the API reads."
    return JsonResponse(
        {"detail": [{"loc": ["body"], "msg": message, "type": "too_large"}]}, status=413
    )


FORM_ENCODINGS = ("application/x-www-form-urlencoded", "multipart/form-data")


class PlainLineBreaksMiddleware:
    """Read a posted form's line breaks back as the browser counted them: one character each.

    HTML's form encoding sends every line break as CRLF, while ``maxlength`` (and the person
    typing) count it as one character; the server counted two, refusing a text the browser
    allowed ("at most 5000 characters (it has 5040)"). Undoing it here, where the encoding is
    read, fixes every form and view at once, before any length check, and stores the same
    text whether a page posted it whole or htmx posted it. JSON is left as its client sent it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        # Reading the form consumes the request's stream: a view exempt from CSRF (the JSON
        # API) may read the raw body itself, so it is left alone. Every other view has its
        # form read before it runs anyway (CsrfViewMiddleware looks for the token in it).
        if getattr(view, "csrf_exempt", False):
            return
        if request.method == "POST" and request.content_type in FORM_ENCODINGS:
            request.POST = _with_plain_line_breaks(request.POST)


def _with_plain_line_breaks(posted: _ImmutableQueryDict) -> _ImmutableQueryDict:
    if not any("\r\n" in value for _name, values in posted.lists() for value in values):
        return posted
    plain = QueryDict(mutable=True, encoding=posted.encoding)
    for name, values in posted.lists():
        plain.setlist(name, [value.replace("\r\n", "\n") for value in values])
    plain._mutable = False  # as Django hands it over: read-only
    return cast("_ImmutableQueryDict", plain)
