"""The shelf, one product, an enterprise's products for it (with verdicts and reasons) and
applying. Thin: objects through the `access_*` loaders, reads from `queries` and `matching`,
writes through `actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.views import RoleRequiredMixin, paginate
from lianqi.enterprises.models import Enterprise
from lianqi.policies.subjects import enterprise_record

from .. import actions, matching, queries
from ..choices import ProductState
from ..forms import ApplicationForm, ProductVersionForm, ReviewForm
from ..models import Product
from ..permissions import SHELF_READERS, access_product
from ..workflow import is_member


def _own_enterprise(request: HttpRequest) -> object | None:
    """The enterprise of an enterprise's account (whose verdicts the pages show), else None."""
    user = request.user
    if has_role(user, (Role.ENTERPRISE,)):
        return getattr(user, "enterprise", None)
    return None


class ProductListView(RoleRequiredMixin, View):
    """The shelf: every product the user may see, filtered by kind, amount, rate and term; an
    enterprise sees beside each whether it qualifies."""

    allowed_roles = SHELF_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.shelf(request.user, request.GET)
        context = paginate(request, found.qs, default_size=20)
        enterprise = _own_enterprise(request)
        if enterprise is not None:
            fits = matching.fits_for(enterprise, list(context["object_list"]), day=timezone.localdate())  # type: ignore[arg-type]
            context["verdicts"] = {fit.product.pk: fit for fit in fits}
        context["filter_form"] = found.form
        return render(request, "finance/product_list.html", context)


class ForMeView(RoleRequiredMixin, View):
    """An enterprise's products for it (为我推荐): every product serving it, with the verdict and
    the reasons, those it qualifies for first."""

    allowed_roles = (Role.ENTERPRISE,)

    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = _own_enterprise(request)
        if enterprise is None:
            raise Http404
        context = for_me_context(request, enterprise)  # type: ignore[arg-type]
        return render(request, "finance/for_me.html", context)


def for_me_context(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    """ "Products for me" a page at a time: every verdict from the shelf's kept program, the
    reasons worded for the page's products only (qualifying first); the products it fails are
    counted and left to the shelf, where each one's page says why."""
    day = timezone.localdate()
    record = enterprise_record(enterprise)
    found = matching.shelf_for(record, queries.shelf_for_enterprise(enterprise), day=day)
    context = paginate(request, found.shown, default_size=FOR_ME_PAGE)
    page = list(context["object_list"])
    rows = queries.shelf_for_enterprise(enterprise).in_bulk(page)
    fits = {
        fit.product.pk: fit
        for fit in matching.fits_for(enterprise, list(rows.values()), day=day, record=record)
    }
    ordered = [fits[pk] for pk in page]
    context.update(
        enterprise=enterprise,
        found=found,
        eligible=[fit for fit in ordered if fit.eligible],
        unknown=[fit for fit in ordered if not fit.eligible],
    )
    return context


#: Products worded per page of "products for me" (a phone's screenful or two).
FOR_ME_PAGE = 10


class LiaisonMatchesView(RoleRequiredMixin, View):
    """A liaison's enterprises on the shelf: for each, how many products it qualifies for and
    may qualify for once its data is in, and the largest ones it qualifies for — what to
    bring up on the next visit. A page of enterprises at a time."""

    allowed_roles = (Role.LIAISON,)

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, queries.liaison_enterprises(request.user), default_size=20)
        context["rows"] = matching.best_matches(
            list(context["object_list"]), queries.shelf_for_enterprise, day=timezone.localdate()
        )
        return render(request, "finance/liaison_matches.html", context)


class ProductDetailView(RoleRequiredMixin, View):
    """One product: its terms and admission criteria; an enterprise reads its verdict and the
    reasons and may apply; the office publishes a draft; the office or the bank withdraws."""

    allowed_roles = SHELF_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = access_product(request.user, pk)
        day = timezone.localdate()
        enterprise = _own_enterprise(request)
        user = request.user
        office = has_role(user, actions.OFFICE_ROLES)
        context = {
            "product": product,
            "fit": matching.fit_for(enterprise, product, day=day) if enterprise is not None else None,  # type: ignore[arg-type]
            "outline": matching.outline(product, day=day),
            "may_publish": office and product.state != ProductState.PUBLISHED,
            "may_withdraw": product.state == ProductState.PUBLISHED
            and (office or is_member(user, product.institution_id)),
            # Versions under review are the institution's and the office's business only.
            "versions": queries.product_versions(product)
            if actions.may_manage_product(user, product)
            else None,
            "may_review": office,
            "review_form": ReviewForm(),
        }
        return render(request, "finance/product_detail.html", context)


class ProductStateView(RoleRequiredMixin, View):
    """Publish or withdraw a product (the action says who may)."""

    allowed_roles = (*actions.OFFICE_ROLES, Role.FINANCE)

    def post(self, request: HttpRequest, pk: int, change: str) -> HttpResponse:
        product = access_product(request.user, pk)
        take = {"publish": actions.publish_product, "withdraw": actions.withdraw_product}.get(change)
        if take is None:
            raise Http404
        try:
            product = take(product=product, actor=acting_user(request))
        except ValidationError as refused:
            messages.error(request, "；".join(refused.messages))
        else:
            messages.success(request, _("产品状态：%(state)s") % {"state": product.get_state_display()})
        return redirect(product.get_absolute_url())


class ProductVersionView(RoleRequiredMixin, View):
    """Submit a new version of a product's terms for the office's review (its institution's
    users and the office), filled with the current terms."""

    allowed_roles = (*actions.OFFICE_ROLES, Role.FINANCE)

    def _product(self, request: HttpRequest, pk: int) -> Product:
        product = access_product(request.user, pk)
        if not actions.may_manage_product(request.user, product):
            raise PermissionDenied
        return product

    def _page(self, request: HttpRequest, product: Product, form: ProductVersionForm) -> HttpResponse:
        return render(request, "finance/product_version_form.html", {"product": product, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = self._product(request, pk)
        return self._page(request, product, ProductVersionForm.for_product(product))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = self._product(request, pk)
        form = ProductVersionForm(request.POST)
        if form.is_valid():
            try:
                version = actions.submit_product_version(
                    product=product, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request, _("第 %(n)s 版已提交，等待金融服务部门审核") % {"n": version.number}
                )
                return redirect(product.get_absolute_url())
        return self._page(request, product, form)


class ProductVersionReviewView(RoleRequiredMixin, View):
    """The office publishes a submitted version or returns it with its comments."""

    allowed_roles = actions.OFFICE_ROLES

    def post(self, request: HttpRequest, pk: int, number: int, decision: str) -> HttpResponse:
        product = access_product(request.user, pk)
        version = get_object_or_404(product.versions, number=number)
        take = {"publish": actions.publish_product_version, "return": actions.return_product_version}.get(
            decision
        )
        if take is None:
            raise Http404
        form = ReviewForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            version = take(version=version, actor=acting_user(request), comment=comment)
        except ValidationError as refused:
            messages.error(request, "；".join(refused.messages))
        else:
            messages.success(
                request,
                _("第 %(n)s 版：%(state)s") % {"n": version.number, "state": version.get_state_display()},
            )
        return redirect(product.get_absolute_url())


def _apply_page(request: HttpRequest, product: Product, form: ApplicationForm) -> HttpResponse:
    return render(request, "finance/apply.html", {"product": product, "form": form})


class ApplyView(RoleRequiredMixin, View):
    """An enterprise applies for a product: amount, term, purpose and consent."""

    allowed_roles = (Role.ENTERPRISE,)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = access_product(request.user, pk)
        return _apply_page(
            request, product, ApplicationForm(initial={"term_months": product.min_term_months})
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = access_product(request.user, pk)
        enterprise = _own_enterprise(request)
        if enterprise is None:
            raise Http404
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                row = actions.apply_for_product(
                    enterprise=enterprise,  # type: ignore[arg-type]
                    product=product,
                    actor=acting_user(request),
                    **form.cleaned_data,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("申请已提交，%(institution)s将在 %(due)s 前受理")
                    % {
                        "institution": row.institution.name,
                        "due": row.accept_due.isoformat(),
                    },
                )
                return redirect(row.get_absolute_url())
        return _apply_page(request, product, form)
