"""Web pages: /drills/ (scenarios with a "start drill" button, past drills with their
incidents, the test page form and its results) and the acknowledge link a test page carries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import CORRECTABLE
from kizuki.drills import access, actions, queries
from kizuki.drills.forms import TestPageForm
from kizuki.drills.models import TestPage

SHOWN = 20


def waited(test_page: TestPage) -> str:
    """How long the test page waited for its acknowledgement, for people."""
    seconds = queries.seconds_to_acknowledge(test_page)
    if seconds is None:
        return ""
    minutes, seconds = divmod(seconds, 60)
    if not minutes:
        return _("%(seconds)s s") % {"seconds": seconds}
    return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}


def _page(
    request: HttpRequest, user: User, form: TestPageForm | None = None, status: int = 200
) -> HttpResponse:
    pages = list(queries.test_pages()[:SHOWN])
    context = {
        "scenarios": list(queries.scenarios()),
        "drills": list(queries.drills(user)[:SHOWN]),
        "test_pages": [(item, waited(item), queries.was_paged(item, user)) for item in pages],
        "can_start": user.has_org_role(OrgRole.RESPONDER),
        "can_send": user.has_org_role(OrgRole.RESPONDER),
        "form": form or TestPageForm(),
        "form_open": form is not None,
    }
    return render(request, "drills/drills.html", context, status=status)


@login_required
def drills_page(request: HttpRequest) -> HttpResponse:
    return _page(request, access.can_read(request.user))


@login_required
@require_POST
def start_drill(request: HttpRequest, scenario_id: int) -> HttpResponse:
    user, scenario = access.access_scenario(request.user, scenario_id, access.Need.START)
    try:
        drill = actions.start_drill(user, scenario)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return redirect("drills")
    messages.success(
        request, _("Drill started: %(ref)s is a drill incident.") % {"ref": drill.incident.ref}
    )
    return redirect("incident-detail", drill.incident.ref)


@login_required
@require_POST
def send_test_page(request: HttpRequest) -> HttpResponse:
    user = access.can_send_test_page(request.user)  # refused before the form is read
    form = TestPageForm(request.POST)
    if form.is_valid():
        kind, ref = form.chosen()
        try:
            test_page = actions.send_test_page(user, kind, ref)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(
                request,
                _("Test page sent to %(people)s.") % {"people": ", ".join(test_page.paged)},
            )
            return redirect(reverse("drills") + "#test-pages")
    return _page(request, user, form, status=400)


@login_required
def acknowledge_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a test page. GET only shows a confirmation (mail scanners and link previews
    fetch links; they must not acknowledge); its button POSTs here and acknowledges."""
    test_page_id = actions.test_page_from_token(token)
    need = access.Need.CHANGE if request.method == "POST" else access.Need.READ
    user, test_page = access.access_test_page(request.user, test_page_id, need)
    if request.method == "POST":
        test_page = actions.acknowledge_test_page(user, test_page)
        messages.success(request, _("Test page acknowledged. Kizuki can reach you."))
        return redirect(reverse("drills") + "#test-pages")
    return render(
        request,
        "drills/acknowledge.html",
        {"test_page": test_page, "may_acknowledge": queries.was_paged(test_page, user)},
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, test_page_id: int) -> HttpResponse:
    """The drills page's own acknowledge button, for the people a test page reached."""
    user, test_page = access.access_test_page(request.user, test_page_id, access.Need.CHANGE)
    actions.acknowledge_test_page(user, test_page)
    messages.success(request, _("Test page acknowledged. Kizuki can reach you."))
    return redirect(reverse("drills") + "#test-pages")
