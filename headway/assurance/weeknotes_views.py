"""The weeknotes page and its Atom feed (ADR 30). Both read `assurance.weeknotes`; both need the
person to be signed in and a member of the organisation, like every other page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from headway.accounts.models import Organisation
from headway.accounts.roles import Action
from headway.assurance.weeknotes import Weeknotes, weeknotes, weeknotes_for
from headway.lib.bounds import FIRST_DATE
from headway.lib.weeks import WeekError, latest_complete_week, parse_week, week_start
from headway.views import MemberRequest, member_required

FEED_WEEKS = 12  # a quarter: enough for a reader that was away, short enough to read quickly


def page_address(week: dt.date) -> str:
    return f"{reverse('portfolio:weeknotes')}?week={week.isoformat()}"


def chosen_week(asked: str | None, today: dt.date) -> dt.date:
    """The week the page is asked for: the latest complete week when none is given. A week that
    has not started is refused; this week, still under way, may be read so far."""
    if not asked:
        return latest_complete_week(today)
    week = parse_week(asked)
    if week > week_start(today):
        raise WeekError(
            f"The week of {week:%-d %B %Y} has not started yet: the weeknotes look back on a week."
        )
    return week


@member_required(Action.VIEW)
def weeknotes_page(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    this_week = week_start(today)
    try:
        week = chosen_week(request.GET.get("week"), today)
    except WeekError as error:
        refused = {"reason": str(error), "latest": latest_complete_week(today)}
        return render(request, "assurance/weeknotes_week_error.html", refused, status=400)
    notes = weeknotes(request.organisation, week)
    previous = week - dt.timedelta(weeks=1)
    following = week + dt.timedelta(weeks=1)
    context: dict[str, Any] = {
        "notes": notes,
        "label": f"week of {week:%-d %B %Y}",
        "in_progress": week == this_week,
        "latest": latest_complete_week(today),
        "previous": previous if previous >= FIRST_DATE else None,
        "next": following if following <= this_week else None,
        "opted_in": request.membership.weeknotes_by_email,
    }
    return render(request, "assurance/weeknotes.html", context)


# The type stubs make Feed generic; Django's class is not, so it is subscripted for mypy only.
if TYPE_CHECKING:
    _Feed = Feed[Weeknotes, Organisation]
else:
    _Feed = Feed


class WeeknotesFeed(_Feed):
    """One entry per complete week, newest first, for the organisation the person is working in."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Organisation:
        organisation: Organisation = request.organisation  # type: ignore[attr-defined]
        return organisation

    def title(self, obj: Organisation) -> str:
        return f"Weeknotes – {obj.name}"

    def subtitle(self, obj: Organisation) -> str:
        return f"What was shown and what reached real users across {obj.name}'s digital portfolio, week by week."

    def link(self, obj: Organisation) -> str:
        return reverse("portfolio:weeknotes")

    def feed_url(self, obj: Organisation) -> str:
        return reverse("portfolio:weeknotes_feed")

    def author_name(self, obj: Organisation) -> str:
        return obj.name

    def items(self, obj: Organisation) -> list[Weeknotes]:
        latest = latest_complete_week(timezone.localdate())
        weeks = [latest - dt.timedelta(weeks=n) for n in range(FEED_WEEKS)]
        return weeknotes_for(obj, [w for w in weeks if w >= FIRST_DATE])

    def item_title(self, item: Weeknotes) -> str:
        return f"Weeknotes: the week of {item.week:%-d %B %Y}"

    def item_link(self, item: Weeknotes) -> str:
        return page_address(item.week)

    def item_description(self, item: Weeknotes) -> str:
        return render_to_string("assurance/weeknotes_feed_item.html", {"notes": item})

    def item_updateddate(self, item: Weeknotes) -> dt.datetime:
        # The week is complete at midnight after its Sunday; a stable time, so a reader does not
        # see an old week as changed each time it asks.
        end = dt.datetime.combine(item.week + dt.timedelta(weeks=1), dt.time())
        return timezone.make_aware(end)

    def item_pubdate(self, item: Weeknotes) -> dt.datetime:
        return self.item_updateddate(item)


@member_required(Action.VIEW)
def weeknotes_feed(request: MemberRequest) -> HttpResponse:
    return WeeknotesFeed()(request)
