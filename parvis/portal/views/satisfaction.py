"""The page behind the rating link of a closed ticket's invitation mail.

Threat model. The link is in a mail: mail scanners and link previews open it, so a GET
shows the form and records nothing; only the citizen's explicit submit (a POST with the
CSRF token of the page) records a rating, once — a second submit, or two at once, finds
the survey answered (``survey_answer`` re-reads it under lock). A link cannot be made up
for another ticket (an HMAC of its id, ``satisfaction.links``); a wrong one and a ticket
never invited get the same 404. The page shows the ticket's reference and subject only, as
the mail did, and is kept out of other sites' Referer, search engines and caches.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parvis.portal.errors import error_summary
from parvis.portal.http import private_link_page
from parvis.satisfaction.actions import survey_answer
from parvis.satisfaction.forms import SurveyForm
from parvis.satisfaction.selectors import survey_for_link


@private_link_page()
def survey(request: HttpRequest, ticket_id: int, signature: str) -> HttpResponse:
    current = survey_for_link(ticket_id=ticket_id, signature=signature)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not current.is_answered and form.is_valid():
        try:
            survey_answer(
                survey=current,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(request.path)  # the thanks, and a reload sends nothing again
    status = 400 if form.is_bound and form.errors else 200
    context = {"survey": current, "form": form, "errors": error_summary(form)}
    return render(request, "portal/survey.html", context, status=status)
