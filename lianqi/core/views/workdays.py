"""Pages of the working-day calendar. The table is national reference data that every
jurisdiction shares, so there is nothing to scope: the service office and the administrator
may look at it, and only the administrator changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core import actions, calendar_store, workdays
from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.forms.workdays import DayForm, DeadlineForm, EnterYearForm
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.views import RoleRequiredMixin, paginate

READ_ROLES = tuple(OFFICE_ROLES)
WRITE_ROLES = (Role.ADMIN,)


class WorkdaysView(RoleRequiredMixin, View):
    allowed_roles = READ_ROLES

    def render(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        today = timezone.localdate()
        context.setdefault("can_edit", has_role(request.user, WRITE_ROLES))
        context.setdefault("today", today)
        context.update(calendar_store.warning_context(at=today, user=request.user))
        return render(request, f"core/{template}", context, status=status)


class WorkdayYearListView(WorkdaysView):
    """The years in the table, the years still missing, and a deadline calculator."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        rows = calendar_store.year_summaries(at=today)
        context: dict[str, Any] = paginate(request, rows, default_size=50)  # type: ignore[arg-type]
        form = DeadlineForm(request.GET or None, initial={"start": today, "n": 5})
        result = None
        if form.is_bound and form.is_valid():
            calendar = calendar_store.get_calendar()
            start, n = form.cleaned_data["start"], form.cleaned_data["n"]
            due = workdays.add_workdays(start, n, calendar)
            result = {"start": start, "n": n, "due": due, "kind": workdays.day_kind(due.day, calendar)}
        context.update({"deadline_form": form, "deadline": result})
        return self.render(request, "workdays_years.html", context)


def _year_or_404(year: int) -> int:
    if not actions.MIN_YEAR <= year <= actions.MAX_YEAR:
        raise Http404
    return year


class WorkdayYearView(WorkdaysView):
    """One year as twelve month grids, its special days, and (for the administrator) a form to
    add or correct a day."""

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        return self.page(request, _year_or_404(year), DayForm(year=year))

    def page(self, request: HttpRequest, year: int, form: DayForm, status: int = 200) -> HttpResponse:
        calendar = calendar_store.get_calendar()
        context = {
            "year": year,
            "loaded": workdays.is_loaded(year, calendar),
            "months": calendar_store.month_grid(year, calendar, today=timezone.localdate()),
            "days": calendar_store.special_days(year),
            "form": form,
            "previous_year": year - 1 if year > actions.MIN_YEAR else None,
            "next_year": year + 1 if year < actions.MAX_YEAR else None,
        }
        return self.render(request, "workdays_year.html", context, status=status)


class WorkdayDaySetView(WorkdayYearView):
    """Add or correct one day (administrator only)."""

    allowed_roles = WRITE_ROLES

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        return redirect("workdays_year", year=_year_or_404(year))

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year_or_404(year)
        form = DayForm(request.POST, year=year)
        if form.is_valid():
            try:
                row = actions.set_day(
                    day=form.cleaned_data["day"],
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已保存：%(day)s") % {"day": row})
                return redirect("workdays_year", year=year)
        return self.page(request, year, form, status=400)


class WorkdayDayRemoveView(WorkdaysView):
    """Remove one day from the table (administrator only)."""

    allowed_roles = WRITE_ROLES

    def post(self, request: HttpRequest, year: int, day: str) -> HttpResponse:
        year = _year_or_404(year)
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            raise Http404 from None
        if parsed.year != year:
            raise Http404
        try:
            actions.remove_day(day=parsed, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已删除：%(day)s") % {"day": parsed.isoformat()})
        return redirect("workdays_year", year=year)


class WorkdayYearEnterView(WorkdaysView):
    """Enter a newly announced year by pasting the notice's days (administrator only)."""

    allowed_roles = WRITE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        try:
            initial["year"] = int(request.GET.get("year", ""))
        except ValueError:
            missing = calendar_store.years_missing(at=timezone.localdate())
            if missing:
                initial["year"] = missing[0]
        return self.render(request, "workdays_enter.html", {"form": EnterYearForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EnterYearForm(request.POST)
        if form.is_valid():
            try:
                entered = actions.enter_year(
                    year=form.cleaned_data["year"],
                    days=form.cleaned_data["days"],
                    note=form.cleaned_data["note"],
                    replace=form.cleaned_data["replace"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已录入 %(year)s 年节假日安排，共 %(n)d 天")
                    % {"year": entered.year, "n": len(form.cleaned_data["days"])},
                )
                return redirect("workdays_year", year=entered.year)
        return self.render(request, "workdays_enter.html", {"form": form}, status=400)
