"""The paging settings page (admins only): the same settings as /api/v1/paging-settings,
changed through mobilisation.update_paging_settings. Reading the page never writes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kizuki.core import clock
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents import access, mobilisation
from kizuki.incidents.paging_forms import PagingSettingsForm


@login_required
def paging_settings(request: HttpRequest) -> HttpResponse:
    user = access.can_configure(request.user)  # refused before the form is read
    current = mobilisation.paging_settings()
    form = PagingSettingsForm(request.POST or None, initial=mobilisation.describe_settings(current))
    if request.method == "POST" and form.is_valid():
        try:
            mobilisation.update_paging_settings(user, form.changes())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Paging settings saved."))
            return redirect("paging-settings")
    context = {
        "form": form,
        "time_zone": settings.TIME_ZONE,
        "in_business_hours": mobilisation.in_business_hours(clock.now(), current),
    }
    return render(request, "incidents/paging_settings.html", context)
