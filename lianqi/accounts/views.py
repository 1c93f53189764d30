"""Login, password change and the administrator's account pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, search_query

from . import actions, queries
from .forms import LoginForm, SetPasswordForm, StyledPasswordChangeForm, UserForm
from .models import User
from .permissions import ADMIN_ROLES, access_user

ROLE_LABELS = dict(Role.choices)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class AdminView(RoleRequiredMixin, View):
    allowed_roles = ADMIN_ROLES


def _user_filters(request: HttpRequest) -> dict[str, Any]:
    """The users list's search and filters, shared by the page and its export."""
    role = request.GET.get("role", "")
    return {
        "query": search_query(request),
        "role": role if role in ROLE_LABELS else "",
        "active": {"1": True, "0": False}.get(request.GET.get("active", "")),
    }


def _role_labels(user: User) -> list[str]:
    return [str(ROLE_LABELS[g.name]) for g in user.groups.all() if g.name in ROLE_LABELS]


class UserListView(AdminView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _user_filters(request)
        context = paginate(request, queries.user_list(request.user, **filters))
        locked = queries.locked_usernames(request.user)
        for user in context["object_list"]:
            user.role_labels = _role_labels(user)
            user.is_locked = user.username in locked
        context.update(
            {
                "q": filters["query"],
                "role": filters["role"],
                "active": request.GET.get("active", ""),
                "roles": Role.choices,
                "query_string": request.GET.urlencode(),
            }
        )
        return render(request, "accounts/user_list.html", context)


class UserExportView(AdminView):
    """The filtered users list as an Excel file, for the office's account review."""

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = (
            Column("username", _("用户名")),
            Column("name", _("姓名")),
            Column("roles", _("角色")),
            Column("jurisdiction", _("所属辖区")),
            Column("bound", _("绑定")),
            Column("active", _("启用")),
            Column("locked", _("已锁定")),
            Column("last_login", _("最近登录")),
        )
        locked = queries.locked_usernames(request.user)
        yes, no = _("是"), _("否")
        rows = (
            (
                u.username,
                u.display_name,
                "、".join(_role_labels(u)),
                u.jurisdiction.name if u.jurisdiction else "",
                str(getattr(u, "staff", None) or u.enterprise or ""),
                yes if u.is_active else no,
                yes if u.username in locked else no,
                timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else "",
            )
            for u in queries.user_list(request.user, **_user_filters(request))
        )
        return export_xlsx(request, export="accounts.users", title=_("用户"), columns=columns, rows=rows)


class UserCreateView(AdminView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(
            admin=request.user, initial={"jurisdiction": getattr(request.user, "jurisdiction_id", None)}
        )
        return render(request, "accounts/user_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(request.POST, admin=request.user)
        if form.is_valid():
            try:
                user = actions.create_user(actor=acting_user(request), **form.action_values())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已创建账号：%(username)s") % {"username": user.username})
                return redirect("accounts:users")
        return render(request, "accounts/user_form.html", {"form": form})


class UserUpdateView(AdminView):
    def _context(self, request: HttpRequest, user: User, form: UserForm) -> dict[str, Any]:
        return {
            "form": form,
            "target": user,
            "is_locked": user.username in queries.locked_usernames(request.user),
            "is_self": user.pk == request.user.pk,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        form = UserForm(admin=request.user, instance=user)
        return render(request, "accounts/user_form.html", self._context(request, user, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        form = UserForm(request.POST, admin=request.user, instance=user)
        if form.is_valid():
            try:
                actions.update_user(user=user, actor=acting_user(request), **form.action_values())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("账号已保存"))
                return redirect("accounts:users")
        return render(request, "accounts/user_form.html", self._context(request, user, form))


class UserActiveView(AdminView):
    """POST only: deactivate (or reactivate) an account."""

    active = False

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        try:
            actions.set_user_active(user=user, actor=acting_user(request), active=self.active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if self.active:
                messages.success(request, _("已启用账号：%(username)s") % {"username": user.username})
            else:
                messages.success(request, _("已停用账号：%(username)s") % {"username": user.username})
        return redirect("accounts:user_edit", pk=user.pk)


class UserPasswordView(AdminView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        return render(
            request, "accounts/user_password.html", {"form": SetPasswordForm(user=user), "target": user}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        form = SetPasswordForm(request.POST, user=user)
        if form.is_valid():
            try:
                actions.set_password(
                    user=user, actor=acting_user(request), password=form.cleaned_data["password"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已为 %(username)s 设置新密码") % {"username": user.username})
                return redirect("accounts:user_edit", pk=user.pk)
        return render(request, "accounts/user_password.html", {"form": form, "target": user})


class UserUnlockView(AdminView):
    """POST only: lift a login lockout."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access_user(request.user, pk)
        removed = actions.unlock_user(user=user, actor=acting_user(request))
        if removed:
            messages.success(request, _("已解除 %(username)s 的登录锁定") % {"username": user.username})
        else:
            messages.info(request, _("%(username)s 当前没有被锁定") % {"username": user.username})
        return redirect("accounts:user_edit", pk=user.pk)
