from django.conf import settings


def site(request):
    return {"PROVINCE_NAME": settings.PROVINCE_NAME, "SITE_URL": settings.SITE_URL}
