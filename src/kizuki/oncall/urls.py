from django.urls import path

from kizuki.oncall import views

urlpatterns = [
    path("escalation-policies/", views.policy_list, name="policy-list"),
    path("escalation-policies/new/", views.policy_new, name="policy-new"),
    path("escalation-policies/<int:policy_id>/", views.policy_detail, name="policy-detail"),
    path("escalation-policies/<int:policy_id>/delete/", views.policy_delete, name="policy-delete"),
    # On the notification rules page, but it pages through oncall (notify's own routes are in
    # notify.urls).
    path("account/notifications/test/", views.send_test, name="notification-test"),
]
