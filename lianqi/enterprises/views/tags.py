"""Pages of the tag vocabularies (企业标签): the list of the tags a user sees with how many
enterprises of their jurisdiction carry each, create and edit, merge one tag into another, and
delete an unused one. A user sees national tags and those of their line of the tree
(`permissions.tags_visible`); a tag they may not change (another park's, the city's for a park,
a national one for anyone but an administrator) answers 404 on the pages that change it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin, paginate

from .. import actions, permissions
from ..forms.tags import TagForm, TagMergeForm
from ..models import Tag
from ..permissions import access_tag_to_change, can_change_tag
from ..queries import tag_counts, tag_in_use, tags_in_order


class TagListView(RoleRequiredMixin, View):
    """Every tag the user sees, national ones first, with the vocabulary it belongs to and the
    number of enterprises in the user's jurisdiction that carry it, each count linking to the
    register filtered by that tag; buttons only on the tags the user may change."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        context = paginate(request, tags_in_order(user))
        counts = tag_counts(user)
        rows = [
            {"tag": tag, "count": counts.get(tag.pk, 0), "can_change": can_change_tag(user, tag)}
            for tag in context["object_list"]
        ]
        context.update(rows=rows, can_edit=permissions.can_edit(user))
        return render(request, "enterprises/tag_list.html", context)


class TagCreateView(RoleRequiredMixin, View):
    """Add a tag to the user's own vocabulary, or (an administrator) to the national one."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TagForm(user=request.user, creating=True))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TagForm(request.POST, user=request.user, creating=True)
        if form.is_valid():
            try:
                tag = actions.create_tag(
                    actor=acting_user(request),
                    name=form.cleaned_data["name"],
                    jurisdiction=form.chosen_jurisdiction(),
                    description=form.cleaned_data["description"],
                    order=form.cleaned_data["order"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已新增标签：%(name)s") % {"name": tag.name})
                return redirect("enterprises:tags")
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: TagForm) -> HttpResponse:
        return render(request, "enterprises/tag_form.html", {"form": form, "creating": True})


class TagEditView(RoleRequiredMixin, View):
    """Rename a tag or change its description or order."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        return self._render(request, tag, TagForm(instance=tag, user=request.user, creating=False))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        # Bound to a copy, so a refused name does not show in the heading as if saved.
        copy = access_tag_to_change(request.user, pk)
        form = TagForm(request.POST, instance=copy, user=request.user, creating=False)
        if form.is_valid():
            try:
                saved = actions.update_tag(
                    tag=tag,
                    actor=acting_user(request),
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    order=form.cleaned_data["order"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已保存标签：%(name)s") % {"name": saved.name})
                return redirect("enterprises:tags")
        return self._render(request, tag, form)

    def _render(self, request: HttpRequest, tag: Tag, form: TagForm) -> HttpResponse:
        return render(request, "enterprises/tag_form.html", {"form": form, "tag": tag, "creating": False})


class TagMergeView(RoleRequiredMixin, View):
    """Merge a tag into another its enterprises may carry (a national tag, or one of its own
    jurisdiction or above): they take the other tag, and it is removed."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        return self._render(request, tag, TagMergeForm(source=tag, user=request.user))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        form = TagMergeForm(request.POST, source=tag, user=request.user)
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                moved = actions.merge_tags(source=tag, target=target, actor=acting_user(request))
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已把标签“%(source)s”并入“%(target)s”，涉及 %(count)d 家企业")
                    % {"source": tag.name, "target": target.name, "count": moved},
                )
                return redirect("enterprises:tags")
        return self._render(request, tag, form)

    def _render(self, request: HttpRequest, tag: Tag, form: TagMergeForm) -> HttpResponse:
        context = {"form": form, "tag": tag, "count": tag_counts(request.user).get(tag.pk, 0)}
        return render(request, "enterprises/tag_merge.html", context)


class TagDeleteView(RoleRequiredMixin, View):
    """Delete a tag that no enterprise carries; a tag in use is refused with a pointer to merge."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        return self._render(request, tag, in_use=tag_in_use(tag))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        tag = access_tag_to_change(request.user, pk)
        try:
            actions.delete_tag(tag=tag, actor=acting_user(request))
        except ValidationError as error:
            return self._render(request, tag, in_use=True, error=" ".join(error.messages), status=409)
        messages.success(request, _("已删除标签：%(name)s") % {"name": tag.name})
        return redirect("enterprises:tags")

    def _render(
        self, request: HttpRequest, tag: Tag, *, in_use: bool, error: str = "", status: int = 200
    ) -> HttpResponse:
        context = {"tag": tag, "in_use": in_use, "error": error}
        return render(request, "enterprises/tag_delete.html", context, status=status)
