from django.http import HttpRequest, HttpResponse


def glance(request: HttpRequest) -> HttpResponse:
    return HttpResponse("placeholder")
