from django.http import HttpResponse


def home(request):
    return HttpResponse("Tỉnh Số")


def track(request):
    return HttpResponse("")
