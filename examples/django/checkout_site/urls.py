"""URLs of the checkout example."""

from django.urls import path

from billing import views

urlpatterns = [path("pay/", views.pay, name="pay")]
